/**
 * @file config.c
 * @brief kiosk.conf (INI) parsing against a table of known settings, and loading
 * the whole configuration folder.
 */
#include "core/config.h"

#include "core/catalog_cache.h"
#include "core/qrpayload.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INI_FILE_MAX (256 * 1024)
#define INI_LINE_MAX 1024

enum ktype { T_STR, T_INT, T_LANG, T_OVERFLOW, T_PAPER, T_COUNTER_SVC, T_BOOL };

struct setting {
	const char *section, *key;
	enum ktype type;
	size_t off;   /* offsetof(struct kconfig, field) */
	size_t size;  /* for strings */
	int min, max; /* for integers */
	int required;
};

#define S(sec, k, field, req) {sec, k, T_STR, offsetof(struct kconfig, field), sizeof(((struct kconfig *)0)->field), 0, 0, req}
#define I(sec, k, field, lo, hi, req) {sec, k, T_INT, offsetof(struct kconfig, field), 0, lo, hi, req}

static const struct setting settings[] = {
	S("office", "code", office_code, 1),
	S("office", "name_th", office_name_th, 1),
	S("office", "name_en", office_name_en, 1),
	S("office", "phone", office_phone, 0),
	S("office", "email", office_email, 0),
	S("kiosk", "id", kiosk_id, 1),
	{"kiosk", "language", T_LANG, offsetof(struct kconfig, language), 3, 0, 0, 0},
	I("kiosk", "idle_seconds", idle_seconds, 10, 3600, 0),
	I("kiosk", "idle_countdown_seconds", idle_countdown_seconds, 20, 300, 0),
	S("kiosk", "admin_pin_file", admin_pin_file, 0),
	I("counters", "count", counters, 1, KCONF_COUNTERS_MAX, 1),
	{"counters", "services.*", T_COUNTER_SVC, 0, 0, 0, 0, 0},
	I("queue", "priority_every", priority_every, 1, 50, 0),
	I("queue", "priority_age", priority_age, 50, 100, 0),
	I("queue", "number_max", number_max, 9, 999, 0),
	{"queue", "on_overflow", T_OVERFLOW, offsetof(struct kconfig, on_overflow), 0, 0, 0, 0},
	I("queue", "default_service_minutes", default_service_minutes, 1, 480, 0),
	S("printer", "target", printer, 0),
	{"printer", "paper_dots", T_PAPER, offsetof(struct kconfig, paper_dots), 0, 0, 0, 0},
	I("printer", "timeout_ms", printer_timeout_ms, 100, 60000, 0),
	S("ticket", "qr_template", qr_template, 1),
	S("server", "url", server_url, 0),
	S("server", "token_file", server_token_file, 0),
	S("server", "ca_file", server_ca_file, 0),
	I("server", "batch_size", upload_batch, 1, 5000, 0),
	S("api", "bind", api_bind, 0),
	I("api", "port", api_port, 1, 65535, 0),
	S("public", "bind", public_bind, 0),
	I("public", "port", public_port, 1, 65535, 0),
	S("public", "base_url", public_base_url, 0),
	S("public", "trusted_proxy", public_trusted_proxy, 0),
	{"public", "relay", T_BOOL, offsetof(struct kconfig, public_relay), 0, 0, 0, 0},
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

static void check_public(const char *file, struct kconfig *c, struct kdiag *d);

static void defaults(struct kconfig *c)
{
	memset(c, 0, sizeof *c);
	strcpy(c->language, "th");
	c->idle_seconds = 60;
	c->idle_countdown_seconds = 30;
	strcpy(c->admin_pin_file, "admin.pin");
	c->priority_every = 2;
	c->priority_age = 60;
	c->number_max = 999;
	c->on_overflow = KOVERFLOW_WRAP;
	c->default_service_minutes = 15;
	strcpy(c->printer, "none");
	c->paper_dots = 576;
	c->printer_timeout_ms = 3000;
	c->upload_batch = 500;
	strcpy(c->api_bind, "127.0.0.1");
	c->api_port = 8088;
	/* Behind the district's reverse proxy by default: nothing reaches it from outside
	 * unless IT choose so. */
	strcpy(c->public_bind, "127.0.0.1");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!len || i + len > n || (len == 2 && c < 0xC2))
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void set_value(const struct setting *st, const char *key, const char *val, const char *file,
		      int line, struct kconfig *c, struct kdiag *d)
{
	char *end;
	long x;

	switch (st->type) {
	case T_STR:
		if (strlen(val) >= st->size) {
			kdiag_add(d, file, line, "[%s] %s: longer than %zu bytes", st->section, key, st->size - 1);
			return;
		}
		strcpy((char *)c + st->off, val);
		return;
	case T_INT:
		x = strtol(val, &end, 10);
		if (!*val || *end || x < st->min || x > st->max) {
			kdiag_add(d, file, line, "[%s] %s: \"%.40s\" must be a whole number from %d to %d",
				  st->section, key, val, st->min, st->max);
			return;
		}
		*(int *)((char *)c + st->off) = (int)x;
		return;
	case T_LANG:
		if (strcmp(val, "th") && strcmp(val, "en")) {
			kdiag_add(d, file, line, "[kiosk] language: must be th or en");
			return;
		}
		strcpy(c->language, val);
		return;
	case T_OVERFLOW:
		if (!strcmp(val, "wrap"))
			c->on_overflow = KOVERFLOW_WRAP;
		else if (!strcmp(val, "refuse"))
			c->on_overflow = KOVERFLOW_REFUSE;
		else
			kdiag_add(d, file, line, "[queue] on_overflow: must be wrap or refuse");
		return;
	case T_PAPER:
		if (strcmp(val, "384") && strcmp(val, "512") && strcmp(val, "576")) {
			kdiag_add(d, file, line, "[printer] paper_dots: must be 384 (58 mm), 512 or 576 (80 mm)");
			return;
		}
		c->paper_dots = atoi(val);
		return;
	case T_BOOL:
		/* Only the two words: "yes", "1" or "on" would each be a guess at intent. */
		if (strcmp(val, "true") && strcmp(val, "false")) {
			kdiag_add(d, file, line, "[%s] %s: must be true or false", st->section, key);
			return;
		}
		*(int *)((char *)c + st->off) = !strcmp(val, "true");
		return;
	case T_COUNTER_SVC:
		x = strtol(key + strlen("services."), &end, 10);
		if (*end || x < 1 || x > KCONF_COUNTERS_MAX) {
			kdiag_add(d, file, line, "[counters] %s: expected services.N with N from 1 to %d",
				  key, KCONF_COUNTERS_MAX);
			return;
		}
		if (strlen(val) >= KCONF_TEXT_MAX) {
			kdiag_add(d, file, line, "[counters] %s: too long", key);
			return;
		}
		strcpy(c->counter_services[x], val);
		c->counter_services_line[x] = line;
		return;
	}
}

kst kconfig_parse_ini(const char *file, const char *text, size_t len, struct kconfig *c,
		      struct kdiag *d)
{
	char section[64] = "", line_buf[INI_LINE_MAX];
	int seen[N_SETTINGS] = {0};
	int before = kdiag_count(d), lineno = 0;
	size_t pos = 0;

	defaults(c);
	if (!valid_utf8((const unsigned char *)text, len)) {
		/* Find the first bad line so IT know where to look. */
		size_t start = 0;
		int ln = 1;
		for (size_t i = 0; i <= len; i++)
			if (i == len || text[i] == '\n') {
				if (!valid_utf8((const unsigned char *)text + start, i - start))
					break;
				start = i + 1;
				ln++;
			}
		kdiag_add(d, file, ln, "not valid UTF-8 (save the file as UTF-8)");
		return K_EUSAGE;
	}
	while (pos < len) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		if (e - pos >= sizeof line_buf) {
			kdiag_add(d, file, lineno, "line longer than %d bytes", INI_LINE_MAX - 1);
			pos = e + 1;
			continue;
		}
		if (memchr(text + pos, 0, e - pos)) {
			kdiag_add(d, file, lineno, "contains a NUL byte");
			pos = e + 1;
			continue;
		}
		memcpy(line_buf, text + pos, e - pos);
		line_buf[e - pos] = 0;
		pos = e + 1;
		char *l = trim(line_buf);
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			char *close = strchr(l, ']');
			if (!close || close[1] || close - l - 1 >= (long)sizeof section) {
				kdiag_add(d, file, lineno, "a section header looks like [office]");
				continue;
			}
			*close = 0;
			snprintf(section, sizeof section, "%s", trim(l + 1));
			int known = 0;
			for (size_t i = 0; i < N_SETTINGS; i++)
				known |= !strcmp(settings[i].section, section);
			if (!known)
				kdiag_add(d, file, lineno, "unknown section [%s]", section);
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq) {
			kdiag_add(d, file, lineno, "expected key = value");
			continue;
		}
		*eq = 0;
		char *key = trim(l), *val = trim(eq + 1);
		if (!*section) {
			kdiag_add(d, file, lineno, "\"%s\" is outside any [section]", key);
			continue;
		}
		const struct setting *st = NULL;
		for (size_t i = 0; i < N_SETTINGS; i++) {
			const char *k = settings[i].key;
			size_t kl = strlen(k);
			int match = k[kl - 1] == '*' ? !strncmp(k, key, kl - 1) : !strcmp(k, key);
			if (!strcmp(settings[i].section, section) && match) {
				st = &settings[i];
				if (seen[i]++ && k[kl - 1] != '*')
					kdiag_add(d, file, lineno, "[%s] %s is set twice", section, key);
				break;
			}
		}
		if (!st) {
			kdiag_add(d, file, lineno, "unknown setting \"%s\" in [%s]", key, section);
			continue;
		}
		set_value(st, key, val, file, lineno, c, d);
	}
	for (size_t i = 0; i < N_SETTINGS; i++)
		if (settings[i].required && !seen[i])
			kdiag_add(d, file, lineno ? lineno : 1, "missing required setting [%s] %s",
				  settings[i].section, settings[i].key);
	for (int n = c->counters + 1; n <= KCONF_COUNTERS_MAX; n++)
		if (c->counter_services[n][0])
			kdiag_add(d, file, 1, "[counters] services.%d: there are only %d counters", n,
				  c->counters);
	if (c->printer[0] && strcmp(c->printer, "none") && strncmp(c->printer, "file:", 5) &&
	    strncmp(c->printer, "usb:", 4) && strncmp(c->printer, "tcp:", 4))
		kdiag_add(d, file, 1, "[printer] target: must be none, file:PATH, usb:DEVICE or tcp:HOST:PORT");
	struct kerr qerr;
	if (c->qr_template[0] && qrp_check_template(c->qr_template, &qerr))
		kdiag_add(d, file, 1, "[ticket] qr_template: %s", qerr.msg);
	if (c->server_url[0] && !kconfig_server_url_ok(c->server_url))
		kdiag_add(d, file, 1, "[server] url: must be https:// (plain http only to this machine)");
	check_public(file, c, d);
	return kdiag_count(d) > before ? K_EUSAGE : K_OK;
}

/* One numeric IPv4 or IPv6 address, written without spaces. */
static int numeric_addr(const char *s, size_t n)
{
	char a[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];
	if (!n || n >= sizeof a)
		return 0;
	memcpy(a, s, n);
	a[n] = 0;
	return inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1;
}

int kconfig_proxy_trusted(const struct kconfig *c, const char *addr)
{
	size_t al = strlen(addr);
	for (const char *p = c->public_trusted_proxy; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t l = strcspn(p, ", ");
		if (l && l == al && !memcmp(p, addr, l))
			return 1;
		p += l;
	}
	return 0;
}

/* [public]: the base URL is what citizens' links are built on (https, or http to this
 * machine for tests), and trusted proxies are addresses, never names. */
static void check_public(const char *file, struct kconfig *c, struct kdiag *d)
{
	const char *u = c->public_base_url;
	if (u[0] && (!kconfig_server_url_ok(u) || u[strlen(u) - 1] != '/'))
		kdiag_add(d, file, 1, "[public] base_url: must be https://HOST/PATH/ ending in / "
			  "(plain http only to this machine)");
	for (const char *p = c->public_trusted_proxy; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t l = strcspn(p, ", ");
		if (l && !numeric_addr(p, l)) {
			kdiag_add(d, file, 1, "[public] trusted_proxy: \"%.*s\" is not an IP address "
				  "(a comma-separated list such as 127.0.0.1, ::1)", (int)(l > 60 ? 60 : l), p);
			break;
		}
		p += l;
	}
	if (c->public_bind[0] && !numeric_addr(c->public_bind, strlen(c->public_bind)))
		kdiag_add(d, file, 1, "[public] bind: must be an IP address such as 127.0.0.1 or 0.0.0.0");
	if (c->public_relay) {
		/* The relay pushes with the ratings upload's URL and token, and the collector
		 * serves /t?o=&d=&n=&s= (collector/relay.h): the ticket's QR must be that URL. */
		if (!c->server_url[0] || !c->server_token_file[0])
			kdiag_add(d, file, 1, "[public] relay: needs [server] url and token_file (the "
				  "snapshot goes the way the ratings go)");
		if (c->qr_template[0] && !kconfig_relay_template_ok(c->qr_template))
			kdiag_add(d, file, 1, "[public] relay: [ticket] qr_template must be "
				  "https://HOST/t?o={office}&d={date}&n={number}&s={sig} (the collector "
				  "serves that path and those names; the order may differ, k={kiosk} may be added)");
	}
}

int kconfig_relay_template_ok(const char *tmpl)
{
	static const char *const want[] = {"o={office}", "d={date}", "n={number}", "s={sig}",
					   "k={kiosk}"};
	int seen[5] = {0};
	const char *p = strstr(tmpl, "://");
	if (!p || (strncmp(tmpl, "https://", 8) && strncmp(tmpl, "http://", 7)))
		return 0;
	p = strchr(p + 3, '/');
	if (!p || strncmp(p, "/t?", 3))
		return 0;
	for (p += 3; *p;) {
		size_t l = strcspn(p, "&"), i = 0;
		while (i < 5 && !(strlen(want[i]) == l && !strncmp(p, want[i], l)))
			i++;
		if (i == 5 || seen[i]++)
			return 0;
		p += l + (p[l] == '&');
	}
	return seen[0] && seen[1] && seen[2] && seen[3];
}

int kconfig_server_url_ok(const char *url)
{
	const char *h, *end;
	size_t hl;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	if (!strncmp(url, "https://", 8))
		return url[8] && url[8] != '/' && url[8] != ':';
	if (strncmp(url, "http://", 7))
		return 0;
	/* Plain http only to this machine: the host is parsed, so that
	 * http://127.0.0.1.example.com or http://localhost@example.com fail. */
	h = url + 7;
	end = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(end - h)))
		return 0;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb || rb - h != 4 || strncmp(h, "[::1]", 5))
			return 0;
		h = rb + 1;
	} else {
		hl = strcspn(h, ":/?#");
		if (!((hl == 9 && !strncmp(h, "127.0.0.1", 9)) || (hl == 9 && !strncmp(h, "localhost", 9))))
			return 0;
		h += hl;
	}
	if (*h == ':') {
		h++;
		if (h == end)
			return 0;
		for (; h < end; h++)
			if (*h < '0' || *h > '9')
				return 0;
	}
	return h == end;
}

static kst read_file(const char *path, char **out, size_t *n, struct kdiag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		kdiag_add(d, path, 0, "cannot open: %m");
		return K_EUSAGE;
	}
	char *buf = malloc(INI_FILE_MAX + 1);
	*n = buf ? fread(buf, 1, INI_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || *n > INI_FILE_MAX) {
		kdiag_add(d, path, 0, "larger than %d bytes", INI_FILE_MAX);
		free(buf);
		return K_EUSAGE;
	}
	*out = buf;
	return K_OK;
}

kst kconfig_load(const char *dir, struct kconfig *c, struct kdiag *d)
{
	return kconfig_load_cached(dir, NULL, c, d);
}

kst kconfig_load_cached(const char *dir, const char *data_dir, struct kconfig *c, struct kdiag *d)
{
	char cache[KCONF_PATH_MAX + 32];
	char path[KCONF_PATH_MAX + 32], *text = NULL;
	size_t n;
	kst rc, rc2;

	defaults(c);
	snprintf(path, sizeof path, "%s/kiosk.conf", dir);
	rc = read_file(path, &text, &n, d);
	if (!rc)
		rc = kconfig_parse_ini(path, text, n, c, d);
	free(text);
	snprintf(c->dir, sizeof c->dir, "%s", dir);
	snprintf(path, sizeof path, "%s/services.json", dir);
	if (data_dir)
		snprintf(cache, sizeof cache, "%s/%s", data_dir, KCAT_CACHE_FILE);
	rc2 = kcatalog_load_cached(path, data_dir ? cache : NULL, &c->catalog, d, NULL);
	if (!rc2) {
		/* The mistake is in kiosk.conf: name that file and the line. */
		snprintf(path, sizeof path, "%s/kiosk.conf", dir);
		for (int k = 1; k <= c->counters; k++) {
			char list[KCONF_TEXT_MAX], *save = NULL;
			snprintf(list, sizeof list, "%s", c->counter_services[k]);
			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
				if (!kcatalog_find(&c->catalog, trim(t)))
					kdiag_add(d, path, c->counter_services_line[k],
						  "[counters] services.%d names unknown service \"%s\" (see services.json)",
						  k, trim(t));
		}
	}
	if (rc || rc2 || kdiag_count(d)) {
		kconfig_free(c);
		return K_EUSAGE;
	}
	return K_OK;
}

void kconfig_free(struct kconfig *c)
{
	kcatalog_free(&c->catalog);
}

int kconfig_counter_serves(const struct kconfig *c, int counter, const char *id)
{
	if (counter < 1 || counter > c->counters)
		return 0;
	const char *list = c->counter_services[counter];
	if (!*list)
		return 1;
	size_t il = strlen(id);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t l = strcspn(p, ", ");
		if (l == il && !strncmp(p, id, il))
			return 1;
		p += l;
	}
	return 0;
}
