/**
 * @file ticket.h
 * @brief Issuing a ticket the one way the kiosk does it, for the touchscreen and
 * the CLI alike: the queue entry plus its signed QR payload.
 */
#ifndef KIOSK_TICKET_H
#define KIOSK_TICKET_H

#include "core/qrpayload.h"
#include "core/queue.h"

struct kticket_out {
	struct kissued is;             /* number, service, ahead, wait minutes */
	char qr[QRP_PAYLOAD_MAX + 1];  /* what the QR code says */
};

/* Issues a ticket for service and signs its QR payload with the device key in
 * data_dir (created on first use). */
kst kticket_issue(struct kqueue *q, const char *data_dir, const char *service, int priority,
		  struct kticket_out *out, struct kerr *err);

/* The QR payload of an issued ticket (for re-printing or showing again). */
kst kticket_qr(const struct kconfig *cfg, const char *data_dir, const struct kticket *t,
	       char out[QRP_PAYLOAD_MAX + 1], struct kerr *err);

#endif
