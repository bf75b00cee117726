#include "core/err.h"

#include <stdio.h>
#include <string.h>

kst kerr_setv(struct kerr *err, kst code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

kst kerr_set(struct kerr *err, kst code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kerr_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void kerr_prefix(struct kerr *err, const char *fmt, ...)
{
	char pre[KERR_MSG_MAX], old[KERR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Truncation is acceptable here: the message is for a person, not a parser. */
	size_t lp = strlen(pre), lo = strnlen(old, sizeof old - 1);
	if (lp + lo >= sizeof err->msg)
		lo = sizeof err->msg - 1 - lp;
	memcpy(err->msg, pre, lp);
	memcpy(err->msg + lp, old, lo);
	err->msg[lp + lo] = 0;
}
