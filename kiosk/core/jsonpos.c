#include "core/jsonpos.h"

#include <stdlib.h>
#include <string.h>

struct cur {
	const char *p, *end;
	int line;
};

static void ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
}

/* Skips a string starting at '"'; returns its raw content span. */
static int str(struct cur *c, const char **s, size_t *n)
{
	if (c->p >= c->end || *c->p != '"')
		return -1;
	const char *b = ++c->p;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\')
			c->p++;
		c->p++;
	}
	if (c->p >= c->end)
		return -1;
	*s = b;
	*n = (size_t)(c->p - b);
	c->p++;
	return 0;
}

static int skip(struct cur *c, int depth)
{
	const char *s;
	size_t n;

	ws(c);
	if (c->p >= c->end || depth > 64)
		return -1;
	if (*c->p == '"')
		return str(c, &s, &n);
	if (*c->p == '{' || *c->p == '[') {
		char close = *c->p == '{' ? '}' : ']';
		c->p++;
		ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				ws(c);
				if (str(c, &s, &n))
					return -1;
				ws(c);
				if (c->p >= c->end || *c->p++ != ':')
					return -1;
			}
			if (skip(c, depth + 1))
				return -1;
			ws(c);
			if (c->p >= c->end)
				return -1;
			if (*c->p == ',') {
				c->p++;
				continue;
			}
			if (*c->p++ == close)
				return 0;
			return -1;
		}
	}
	while (c->p < c->end && !strchr(",}] \t\r\n", *c->p))
		c->p++;
	return 0;
}

int jsonpos_line(const char *text, size_t len, const char *path)
{
	struct cur c = {text, text + len, 1};
	const char *q = path;

	ws(&c);
	while (*q) {
		int line_here = c.line;
		if (*q == '.')
			q++;
		if (*q == '[') {
			long idx = strtol(q + 1, NULL, 10);
			const char *close = strchr(q, ']');
			q = close ? close + 1 : q + strlen(q);
			if (c.p >= c.end || *c.p != '[')
				return line_here;
			c.p++;
			for (long i = 0; i < idx; i++) {
				if (skip(&c, 0))
					return line_here;
				ws(&c);
				if (c.p >= c.end || *c.p != ',')
					return line_here;
				c.p++;
			}
			ws(&c);
			continue;
		}
		size_t kl = strcspn(q, ".[");
		if (c.p >= c.end || *c.p != '{')
			return line_here;
		c.p++;
		for (;;) {
			const char *s;
			size_t n;
			ws(&c);
			if (str(&c, &s, &n))
				return line_here;
			ws(&c);
			if (c.p >= c.end || *c.p++ != ':')
				return line_here;
			ws(&c);
			if (n == kl && memcmp(s, q, kl) == 0)
				break;
			if (skip(&c, 0))
				return line_here;
			ws(&c);
			if (c.p >= c.end || *c.p != ',')
				return line_here; /* member not present: the object's line */
			c.p++;
		}
		q += kl;
	}
	return c.line;
}
