#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kdiag_add(struct kdiag *d, const char *file, int line, const char *fmt, ...)
{
	char msg[KDIAG_LINE_MAX];
	va_list ap;

	if (d->n >= KDIAG_MAX) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The file name is cut first, then the message; both stay on one line. */
	int w = snprintf(d->line[d->n], KDIAG_LINE_MAX, "%.120s:%d: ", file, line);
	if (w < 0)
		w = 0;
	snprintf(d->line[d->n] + w, KDIAG_LINE_MAX - (size_t)w, "%s", msg);
	for (char *p = d->line[d->n]; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	d->n++;
}
