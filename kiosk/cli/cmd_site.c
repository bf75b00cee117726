/**
 * @file cmd_site.c
 * @brief `kiosk site --out DIR`: the public pages that do not need the appliance (the
 * checklists, the open data and its index) as a static site with relative links, for
 * the district to host anywhere (or open from file://), so citizens are served even
 * when the appliance cannot be reached from outside. The same renderer as the public
 * listener (net/public_pages.h); no ticket page and no live statistics here.
 *
 *   DIR/index.html, index.en.html            home
 *   DIR/services/index[.en].html             the catalogue
 *   DIR/services/ID[.en].html                one checklist
 *   DIR/open-data/index[.en].html, NAME      the open data files
 *   DIR/assets/public.css, DIR/fonts/Sarabun-Regular.ttf, -Bold.ttf   the look and the font
 *
 * Each file is written to NAME.tmp and renamed, so a web server never serves half a page.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/opendata.h"
#include "core/queue.h"
#include "core/store.h"
#include "net/html.h"
#include "net/public_assets.h"
#include "net/public_pages.h"

#define SITE_PATH_MAX 1024

struct site {
	const char *out;
	int files;
	long bytes;
	struct kerr *err;
};

static kst mkdir_p(struct site *s, const char *sub)
{
	char path[SITE_PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", s->out, sub);
	if (mkdir(path, 0755) && errno != EEXIST)
		return kerr_set(s->err, K_EFAIL, "%s: %s", path, strerror(errno));
	return K_OK;
}

static kst write_file(struct site *s, const char *name, const char *data, size_t len)
{
	char path[SITE_PATH_MAX], tmp[SITE_PATH_MAX + 8];
	int n = snprintf(path, sizeof path, "%s/%s", s->out, name);
	if (n <= 0 || (size_t)n >= sizeof path)
		return kerr_set(s->err, K_EUSAGE, "%s: path too long", s->out);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return kerr_set(s->err, K_EFAIL, "%s: %s", tmp, strerror(errno));
	int bad = fwrite(data, 1, len, f) != len;
	bad |= fflush(f) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		int e = errno;
		remove(tmp);
		return kerr_set(s->err, K_EFAIL, "%s: %s", path, strerror(e));
	}
	s->files++;
	s->bytes += (long)len;
	return K_OK;
}

/* Writes b (then emptied) as name. */
static kst write_page(struct site *s, const char *name, struct hbuf *b)
{
	size_t len;
	char *p = hb_take(b, &len);
	if (!p)
		return kerr_set(s->err, K_EFAIL, "%s: out of memory", name);
	kst rc = write_file(s, name, p, len);
	free(p);
	return rc;
}

static void ctx_init(struct pp_ctx *c, const struct kconfig *cfg, const char *lang,
		     const char *root)
{
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	c->lang = lang;
	c->static_site = 1;
	snprintf(c->root, sizeof c->root, "%s", root);
}

static kst write_opendata(struct site *s, struct kstore *st, const struct kconfig *cfg)
{
	struct od_file *files = calloc(OD_FILES_MAX, sizeof *files);
	struct pp_file *pf = calloc(OD_FILES_MAX, sizeof *pf);
	char base[KCONF_TEXT_MAX + 16] = "", name[OD_NAME_MAX + 16];
	kst rc = K_OK;

	if (!files || !pf) {
		rc = kerr_set(s->err, K_EFAIL, "out of memory");
		goto out;
	}
	if (cfg->public_base_url[0])
		snprintf(base, sizeof base, "%sopen-data/", cfg->public_base_url);
	int n = opendata_list(st, cfg, files, OD_FILES_MAX);
	for (int i = 0; i < n && !rc; i++) {
		char *body = NULL;
		size_t len = 0;
		const char *ctype = NULL;
		rc = opendata_render(st, cfg, files[i].name, base, &body, &len, &ctype, s->err);
		if (!rc) {
			snprintf(name, sizeof name, "open-data/%s", files[i].name);
			rc = write_file(s, name, body, len);
		}
		free(body);
		pf[i] = (struct pp_file){files[i].name, files[i].ctype, (long)len};
	}
	for (int l = 0; l < 2 && !rc; l++) {
		struct pp_ctx c;
		struct hbuf b;
		ctx_init(&c, cfg, l ? "en" : "th", "../");
		hb_init(&b);
		pp_opendata(&b, &c, pf, n);
		rc = write_page(s, l ? "open-data/index.en.html" : "open-data/index.html", &b);
	}
out:
	free(files);
	free(pf);
	return rc;
}

int cmd_site(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"out", required_argument, 0, 'o'}, {0, 0, 0, 0}};
	const char *usage = "site --out DIR";
	const char *out = NULL;
	struct kstore st = {0};
	struct kqueue q;
	struct pub_asset fonts[PUB_FONTS];
	int o, nfonts = 0;
	char name[KCAT_ID_MAX + 32];

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'o') {
			out = optarg;
			continue;
		}
		return cli_usage(usage);
	}
	if (optind < argc || !out || !*out)
		return cli_usage(usage);
	kst rc = cli_open_queue(c, &st, &q);
	if (rc)
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	struct site s = {.out = out, .err = &c->err};
	const struct kconfig *cfg = c->cfg;

	if (mkdir(out, 0755) && errno != EEXIST) {
		rc = kerr_set(&c->err, K_EFAIL, "%s: %s", out, strerror(errno));
		goto out;
	}
	if ((rc = mkdir_p(&s, "services")) || (rc = mkdir_p(&s, "open-data")) ||
	    (rc = mkdir_p(&s, "assets")) || (rc = mkdir_p(&s, "fonts")))
		goto out;
	for (int l = 0; l < 2 && !rc; l++) {
		const char *lang = l ? "en" : "th", *ext = l ? ".en.html" : ".html";
		struct pp_ctx cx;
		struct hbuf b;
		ctx_init(&cx, cfg, lang, "");
		hb_init(&b);
		pp_home(&b, &cx);
		snprintf(name, sizeof name, "index%s", ext);
		if ((rc = write_page(&s, name, &b)))
			break;
		ctx_init(&cx, cfg, lang, "../");
		pp_services(&b, &cx);
		snprintf(name, sizeof name, "services/index%s", ext);
		if ((rc = write_page(&s, name, &b)))
			break;
		for (size_t i = 0; i < cfg->catalog.n && !rc; i++) {
			pp_service(&b, &cx, &cfg->catalog.svc[i]);
			snprintf(name, sizeof name, "services/%s%s", cfg->catalog.svc[i].id, ext);
			rc = write_page(&s, name, &b);
		}
	}
	if (!rc)
		rc = write_opendata(&s, &st, cfg);
	if (!rc) {
		const struct pub_asset *css = pub_asset_css();
		rc = write_file(&s, css->name, css->data, css->len);
	}
	if (!rc) {
		nfonts = pub_fonts_load(fonts);
		for (int i = 0; i < PUB_FONTS && !rc; i++)
			if (fonts[i].data)
				rc = write_file(&s, fonts[i].name, fonts[i].data, fonts[i].len);
		pub_fonts_free(fonts);
	}
out:
	kstore_close(&st);
	if (rc)
		return cli_fail(c, rc);
	if (nfonts < PUB_FONTS)
		fprintf(stderr, "kiosk site: warning: Sarabun not found in fonts/: the pages use the "
				"reader's own Thai font\n");
	if (c->json)
		cli_print_json(c, json_pack("{s:s, s:i, s:I, s:i}", "out", out, "files", s.files,
					    "bytes", (json_int_t)s.bytes, "fonts", nfonts));
	else
		printf("wrote %d files (%.1f KB) to %s\n", s.files, (double)s.bytes / 1024.0, out);
	return K_OK;
}
