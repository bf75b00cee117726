#include "core/ticket.h"

#include <stdio.h>
#include <string.h>

kst kticket_qr(const struct kconfig *cfg, const char *data_dir, const struct kticket *t,
	       char out[QRP_PAYLOAD_MAX + 1], struct kerr *err)
{
	uint8_t key[SECRET_KEY_LEN];
	struct qrp q;
	struct qrp_ticket qt;
	kst rc;

	out[0] = 0;
	if ((rc = secret_load_or_create(data_dir, key, err)))
		return rc;
	rc = qrp_init(&q, cfg->qr_template, key, err);
	secret_wipe(key, sizeof key);
	if (rc)
		return rc;
	memset(&qt, 0, sizeof qt);
	snprintf(qt.office, sizeof qt.office, "%s", cfg->office_code);
	snprintf(qt.kiosk, sizeof qt.kiosk, "%s", cfg->kiosk_id);
	snprintf(qt.date, sizeof qt.date, "%s", t->day);
	snprintf(qt.number, sizeof qt.number, "%s", t->number);
	rc = qrp_make(&q, &qt, out, err);
	qrp_wipe(&q);
	return rc;
}

kst kticket_issue(struct kqueue *q, const char *data_dir, const char *service, int priority,
		  struct kticket_out *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	kst rc = kqueue_issue(q, service, priority, &out->is, err);
	if (rc)
		return rc;
	/* The ticket stands even if signing fails: the citizen keeps the place in
	 * line and the number on screen; the QR is the convenience. */
	if (kticket_qr(q->cfg, data_dir, &out->is.t, out->qr, err))
		out->qr[0] = 0;
	return K_OK;
}
