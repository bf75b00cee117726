/**
 * @file qrpayload.c
 * @brief Ticket QR payloads: template expansion, signing, scan checking.
 */
#include "core/qrpayload.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"

static const struct {
	const char *name;
	enum qrp_tok kind;
} placeholders[] = {
	{"{office}", QRP_OFFICE}, {"{kiosk}", QRP_KIOSK}, {"{date}", QRP_DATE},
	{"{number}", QRP_NUMBER_PH}, {"{sig}", QRP_SIG},
};

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int is_id_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* The characters a placeholder's value may contain. */
static int in_class(enum qrp_tok k, int c)
{
	switch (k) {
	case QRP_OFFICE:
	case QRP_KIOSK:
		return is_id_char(c);
	case QRP_DATE:
		return is_digit(c) || c == '-';
	case QRP_NUMBER_PH:
		return is_upper(c) || is_digit(c);
	case QRP_SIG:
		return is_upper(c) || (c >= '2' && c <= '7');
	case QRP_LIT:
		break;
	}
	return 0;
}

/* Longest value a placeholder can hold. */
static size_t class_max(enum qrp_tok k)
{
	switch (k) {
	case QRP_OFFICE:
	case QRP_KIOSK:
		return QRP_ID_MAX;
	case QRP_DATE:
		return QRP_DATE_LEN;
	case QRP_NUMBER_PH:
		return QRP_NUMBER_MAX;
	case QRP_SIG:
		return QRP_SIG_LEN;
	case QRP_LIT:
		break;
	}
	return 0;
}

int qrp_valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > QRP_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_id_char((unsigned char)s[i]))
			return 0;
	return 1;
}

int qrp_valid_number(const char *s)
{
	size_t i = 0, l, d;
	while (is_upper((unsigned char)s[i]))
		i++;
	l = i;
	while (is_digit((unsigned char)s[i]))
		i++;
	d = i - l;
	return s[i] == 0 && l >= 1 && l <= 3 && d >= 1 && d <= 4;
}

static int valid_date(const char *s)
{
	int y, m, d;
	return strlen(s) == QRP_DATE_LEN && s[4] == '-' && s[7] == '-' &&
	       kclock_parse_date(s, &y, &m, &d) == K_OK;
}

int qrp_parse_number(const char *s, size_t len, char out[QRP_NUMBER_MAX + 1])
{
	size_t i = 0, e = len, l0, nl, nd;
	while (i < e && s[i] == ' ')
		i++;
	while (e > i && s[e - 1] == ' ')
		e--;
	l0 = i;
	while (i < e && (is_upper((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	nl = i - l0;
	size_t d0 = i;
	while (i < e && is_digit((unsigned char)s[i]))
		i++;
	nd = i - d0;
	if (i != e || nl < 1 || nl > 3 || nd < 1 || nd > 4)
		return 0;
	size_t o = 0;
	for (size_t k = 0; k < nl; k++)
		out[o++] = (char)(s[l0 + k] & ~0x20); /* ASCII upper case */
	for (size_t k = nd; k < 3; k++)
		out[o++] = '0';
	memcpy(out + o, s + d0, nd);
	out[o + nd] = 0;
	return 1;
}

const char *qrp_reason_str(enum qrp_reason r)
{
	switch (r) {
	case QRP_R_OK: return "ok";
	case QRP_R_EMPTY: return "empty scan";
	case QRP_R_TOO_LONG: return "scan too long";
	case QRP_R_CONTROL: return "control or non-ASCII character in scan";
	case QRP_R_NOT_TICKET: return "not a ticket code";
	case QRP_R_BAD_FIELD: return "malformed field in ticket code";
	case QRP_R_BAD_SIG: return "signature does not match (forged, altered, or from another kiosk)";
	case QRP_R_WRONG_OFFICE: return "ticket of another office";
	case QRP_R_WRONG_DATE: return "ticket of another day";
	}
	return "?";
}

/* Splits tmpl into tokens; fills q when not NULL. */
static kst parse_template(const char *tmpl, struct qrp *q, struct kerr *err)
{
	size_t n = tmpl ? strlen(tmpl) : 0;
	unsigned seen = 0;
	int ntok = 0;

	if (n == 0)
		return kerr_set(err, K_EUSAGE, "QR template is empty");
	if (n > QRP_TEMPLATE_MAX)
		return kerr_set(err, K_EUSAGE, "QR template longer than %d bytes", QRP_TEMPLATE_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tmpl[i];
		if (c <= 0x20 || c >= 0x7f)
			return kerr_set(err, K_EUSAGE,
					"QR template: byte %zu is a space, control or non-ASCII character "
					"(percent-encode it)", i + 1);
	}
	for (size_t i = 0; i < n;) {
		enum qrp_tok kind = QRP_LIT;
		size_t len = 0;
		if (tmpl[i] == '{') {
			size_t k;
			for (k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++) {
				size_t pl = strlen(placeholders[k].name);
				if (!strncmp(tmpl + i, placeholders[k].name, pl)) {
					kind = placeholders[k].kind;
					len = pl;
					break;
				}
			}
			if (kind == QRP_LIT)
				return kerr_set(err, K_EUSAGE,
						"QR template: unknown placeholder at byte %zu (known: {office} "
						"{kiosk} {date} {number} {sig})", i + 1);
			if (seen & (1u << kind))
				return kerr_set(err, K_EUSAGE, "QR template: %s appears twice",
						placeholders[k].name);
			seen |= 1u << kind;
		} else {
			while (i + len < n && tmpl[i + len] != '{') {
				if (tmpl[i + len] == '}')
					return kerr_set(err, K_EUSAGE, "QR template: stray '}' at byte %zu",
							i + len + 1);
				len++;
			}
		}
		if (ntok >= QRP_TOKENS_MAX)
			return kerr_set(err, K_EUSAGE, "QR template has too many pieces");
		if (q) {
			q->tok[ntok].kind = kind;
			q->tok[ntok].off = (unsigned short)i;
			q->tok[ntok].len = (unsigned short)len;
		}
		/* A value ends where its class ends: the next literal must not
		 * continue it, and two placeholders may not touch. */
		if (i > 0 && tmpl[i - 1] == '}') {
			enum qrp_tok before = QRP_LIT;
			for (size_t k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++) {
				size_t pl = strlen(placeholders[k].name);
				if (i >= pl && !strncmp(tmpl + i - pl, placeholders[k].name, pl))
					before = placeholders[k].kind;
			}
			if (kind != QRP_LIT)
				return kerr_set(err, K_EUSAGE,
						"QR template: two placeholders touch at byte %zu; put a "
						"separator such as '&' or '/' between them", i + 1);
			if (in_class(before, (unsigned char)tmpl[i]))
				return kerr_set(err, K_EUSAGE,
						"QR template: '%c' after a placeholder at byte %zu could be "
						"part of its value; use a separator such as '&' or '/'",
						tmpl[i], i + 1);
		}
		ntok++;
		i += len;
	}
	static const enum qrp_tok need[] = {QRP_OFFICE, QRP_DATE, QRP_NUMBER_PH, QRP_SIG};
	static const char *need_name[] = {"{office}", "{date}", "{number}", "{sig}"};
	for (size_t k = 0; k < 4; k++)
		if (!(seen & (1u << need[k])))
			return kerr_set(err, K_EUSAGE, "QR template lacks %s", need_name[k]);
	if (q)
		q->ntok = ntok;
	return K_OK;
}

kst qrp_check_template(const char *tmpl, struct kerr *err)
{
	return parse_template(tmpl, NULL, err);
}

kst qrp_init(struct qrp *q, const char *tmpl, const uint8_t device_key[SECRET_KEY_LEN],
	     struct kerr *err)
{
	memset(q, 0, sizeof *q);
	kst rc = parse_template(tmpl, q, err);
	if (rc)
		return rc;
	memcpy(q->tmpl, tmpl, strlen(tmpl) + 1);
	secret_derive(device_key, QRP_KEY_LABEL, q->key);
	return K_OK;
}

void qrp_wipe(struct qrp *q)
{
	secret_wipe(q->key, sizeof q->key);
}

void qrp_sign(const struct qrp *q, const char *office, const char *date, const char *number,
	      char sig[QRP_SIG_LEN + 1])
{
	char msg[QRP_ID_MAX + QRP_DATE_LEN + QRP_NUMBER_MAX + 3];
	uint8_t mac[32];
	/* '|' is in no field's class, so the message is unambiguous. */
	int n = snprintf(msg, sizeof msg, "%s|%s|%s", office, date, number);
	if (n < 0 || n >= (int)sizeof msg)
		n = (int)sizeof msg - 1; /* fields were validated; cannot happen */
	secret_hmac(q->key, msg, (size_t)n, mac);
	/* 10 base32 digits from the first 50 bits, big-endian. */
	uint64_t bits = 0;
	for (int i = 0; i < 7; i++)
		bits = bits << 8 | mac[i];
	bits >>= 56 - 5 * QRP_SIG_LEN;
	for (int i = QRP_SIG_LEN - 1; i >= 0; i--) {
		sig[i] = b32[bits & 31];
		bits >>= 5;
	}
	sig[QRP_SIG_LEN] = 0;
	secret_wipe(mac, sizeof mac);
}

static kst check_ticket(const struct qrp_ticket *t, struct kerr *err)
{
	if (!qrp_valid_id(t->office))
		return kerr_set(err, K_EUSAGE, "office id '%.40s' must be 1-%d of A-Z a-z 0-9 _ -",
				t->office, QRP_ID_MAX);
	if (t->kiosk[0] && !qrp_valid_id(t->kiosk))
		return kerr_set(err, K_EUSAGE, "kiosk id '%.40s' must be 1-%d of A-Z a-z 0-9 _ -",
				t->kiosk, QRP_ID_MAX);
	if (!valid_date(t->date))
		return kerr_set(err, K_EUSAGE, "ticket date '%.20s' is not YYYY-MM-DD", t->date);
	if (!qrp_valid_number(t->number))
		return kerr_set(err, K_EUSAGE, "ticket number '%.20s' is not 1-3 letters + 1-4 digits",
				t->number);
	return K_OK;
}

kst qrp_make(const struct qrp *q, const struct qrp_ticket *t, char out[QRP_PAYLOAD_MAX + 1],
	     struct kerr *err)
{
	char sig[QRP_SIG_LEN + 1];
	size_t o = 0;
	kst rc = check_ticket(t, err);
	if (rc)
		return rc;
	qrp_sign(q, t->office, t->date, t->number, sig);
	for (int i = 0; i < q->ntok; i++) {
		const char *v = NULL;
		size_t len;
		switch (q->tok[i].kind) {
		case QRP_LIT: v = q->tmpl + q->tok[i].off; break;
		case QRP_OFFICE: v = t->office; break;
		case QRP_KIOSK: v = t->kiosk; break;
		case QRP_DATE: v = t->date; break;
		case QRP_NUMBER_PH: v = t->number; break;
		case QRP_SIG: v = sig; break;
		}
		len = q->tok[i].kind == QRP_LIT ? q->tok[i].len : strlen(v);
		if (q->tok[i].kind == QRP_KIOSK && len == 0)
			return kerr_set(err, K_EUSAGE, "QR template has {kiosk} but no kiosk id is set");
		if (o + len > QRP_PAYLOAD_MAX)
			return kerr_set(err, K_EUSAGE, "QR payload longer than %d bytes", QRP_PAYLOAD_MAX);
		memcpy(out + o, v, len);
		o += len;
	}
	out[o] = 0;
	return K_OK;
}

static kst junk(struct qrp_scan *out, enum qrp_reason r, struct kerr *err)
{
	memset(&out->t, 0, sizeof out->t);
	out->kind = QRP_JUNK;
	out->reason = r;
	return kerr_set(err, K_EFAIL, "%s", qrp_reason_str(r));
}

kst qrp_scan(const struct qrp *q, const void *buf, size_t len, const struct qrp_expect *expect,
	     struct qrp_scan *out, struct kerr *err)
{
	const unsigned char *s = buf;
	char sig[QRP_SIG_LEN + 1] = "", want[QRP_SIG_LEN + 1];
	size_t pos = 0;

	memset(out, 0, sizeof *out);
	if (!s)
		len = 0;
	/* Bound first: nothing longer is ever looked at beyond its length. */
	if (len > QRP_PAYLOAD_MAX + 2)
		return junk(out, QRP_R_TOO_LONG, err);
	if (len && s[len - 1] == '\n')
		len--;
	if (len && s[len - 1] == '\r')
		len--;
	if (len == 0)
		return junk(out, QRP_R_EMPTY, err);
	if (len > QRP_PAYLOAD_MAX)
		return junk(out, QRP_R_TOO_LONG, err);
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return junk(out, QRP_R_CONTROL, err);

	if (qrp_parse_number((const char *)s, len, out->t.number)) {
		out->kind = QRP_NUMBER;
		out->reason = QRP_R_OK;
		return K_OK;
	}

	for (int i = 0; i < q->ntok; i++) {
		enum qrp_tok k = q->tok[i].kind;
		if (k == QRP_LIT) {
			size_t l = q->tok[i].len;
			if (len - pos < l || memcmp(s + pos, q->tmpl + q->tok[i].off, l))
				return junk(out, QRP_R_NOT_TICKET, err);
			pos += l;
			continue;
		}
		size_t start = pos, max = class_max(k);
		while (pos < len && in_class(k, s[pos]) && pos - start <= max)
			pos++;
		size_t vl = pos - start;
		if (vl == 0 || vl > max)
			return junk(out, QRP_R_BAD_FIELD, err);
		char *dst = k == QRP_OFFICE ? out->t.office
			  : k == QRP_KIOSK ? out->t.kiosk
			  : k == QRP_DATE ? out->t.date
			  : k == QRP_NUMBER_PH ? out->t.number : sig;
		memcpy(dst, s + start, vl);
		dst[vl] = 0;
	}
	if (pos != len)
		return junk(out, QRP_R_NOT_TICKET, err);
	if (check_ticket(&out->t, NULL) || strlen(sig) != QRP_SIG_LEN)
		return junk(out, QRP_R_BAD_FIELD, err);

	qrp_sign(q, out->t.office, out->t.date, out->t.number, want);
	/* Constant time: the time taken must not tell how many characters of a
	 * guessed signature were right. */
	int bad = !secret_equal(want, sig, QRP_SIG_LEN);
	explicit_bzero(want, sizeof want);
	if (bad)
		return junk(out, QRP_R_BAD_SIG, err);
	if (expect && expect->office && strcmp(expect->office, out->t.office))
		return junk(out, QRP_R_WRONG_OFFICE, err);
	if (expect && expect->date && strcmp(expect->date, out->t.date))
		return junk(out, QRP_R_WRONG_DATE, err);
	out->kind = QRP_TICKET;
	out->reason = QRP_R_OK;
	return K_OK;
}
