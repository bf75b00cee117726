/**
 * @file public_assets.c
 * @brief See public_assets.h. Edit the files in assets/public/; the Makefile rebuilds this object
 * when they change.
 */
#include "net/public_assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INCBIN(sym, file)                                                                  \
	__asm__(".section .rodata\n.global " #sym "\n.type " #sym ", @object\n" #sym ":\n"  \
		".incbin \"" file "\"\n.global " #sym "_end\n" #sym "_end:\n.byte 0\n"       \
		".previous\n")
INCBIN(kpub_css, "assets/public/public.css");
INCBIN(kpub_js, "assets/public/ticket.js");
extern const char kpub_css[], kpub_css_end[], kpub_js[], kpub_js_end[];

const struct pub_asset *pub_asset_css(void)
{
	static struct pub_asset a = {"assets/public.css", "text/css; charset=utf-8", NULL, 0};
	a.data = kpub_css;
	a.len = (size_t)(kpub_css_end - kpub_css);
	return &a;
}

const struct pub_asset *pub_asset_js(void)
{
	static struct pub_asset a = {"assets/ticket.js", "text/javascript; charset=utf-8", NULL, 0};
	a.data = kpub_js;
	a.len = (size_t)(kpub_js_end - kpub_js);
	return &a;
}

/* The whole file when it is 1..PUB_FONT_MAX bytes, else NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(PUB_FONT_MAX + 1);
	size_t n = buf ? fread(buf, 1, PUB_FONT_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || n == 0 || n > PUB_FONT_MAX) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int try_dir(const char *dir, const char *file, struct pub_asset *out)
{
	char path[PATH_MAX + 64];
	int n = snprintf(path, sizeof path, "%s/%s", dir, file);
	if (n <= 0 || (size_t)n >= sizeof path)
		return 0;
	out->data = slurp(path, &out->len);
	return out->data != NULL;
}

int pub_fonts_load(struct pub_asset out[PUB_FONTS])
{
	static const char *const names[PUB_FONTS] = {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"};
	static const char *const paths[PUB_FONTS] = {"fonts/Sarabun-Regular.ttf",
						     "fonts/Sarabun-Bold.ttf"};
	char exe[PATH_MAX] = "", dir[PATH_MAX + 16];
	const char *env = getenv("KIOSK_FONTS");
	int found = 0;

	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *s = strrchr(exe, '/');
		if (s)
			*s = 0;
	}
	for (int i = 0; i < PUB_FONTS; i++) {
		out[i] = (struct pub_asset){paths[i], "font/ttf", NULL, 0};
		int ok = 0;
		if (env && *env) {
			/* A colon-separated list replaces the usual places, as for the screens. */
			for (const char *p = env; *p && !ok;) {
				size_t l = strcspn(p, ":");
				if (l && l < sizeof dir) {
					memcpy(dir, p, l);
					dir[l] = 0;
					ok = try_dir(dir, names[i], &out[i]);
				}
				p += l;
				if (*p == ':')
					p++;
			}
		} else {
			/* build/kiosk -> ../fonts; <prefix>/bin/kiosk -> ../share/kiosk/fonts */
			snprintf(dir, sizeof dir, "%s/../fonts", exe);
			ok = exe[0] && try_dir(dir, names[i], &out[i]);
			snprintf(dir, sizeof dir, "%s/../share/kiosk/fonts", exe);
			ok = ok || (exe[0] && try_dir(dir, names[i], &out[i]));
			ok = ok || try_dir("fonts", names[i], &out[i]) ||
			     try_dir("/usr/share/kiosk/fonts", names[i], &out[i]);
		}
		found += ok;
	}
	return found;
}

void pub_fonts_free(struct pub_asset out[PUB_FONTS])
{
	for (int i = 0; i < PUB_FONTS; i++) {
		free((void *)out[i].data);
		out[i].data = NULL;
		out[i].len = 0;
	}
}
