/**
 * @file test_sdl_mem.c
 * @brief SDL's allocator (ui/sdl_mem): big blocks are reused once the pool is on, a
 * reused block never shows what was in it before, the pool stays within its bound, and
 * text drawn into a reused texture looks exactly like text drawn into a fresh one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>

#include "tap.h"
#include "text/text.h"
#include "ui/sdl_mem.h"

#define BIG (256 * 1024)    /* bytes: well over the size that gets its own mapping */
#define POOL_MAX (3u << 20) /* sdl_mem.c's SDL_MEM_POOL_BYTES */

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_blocks(void)
{
	struct ui_sdl_mem_stats s0, s;
	unsigned char *p, *q;

	/* Off (as at start-up): a freed block goes back, nothing is pooled. */
	p = SDL_malloc(BIG);
	memset(p, 0xAB, BIG);
	SDL_free(p);
	ui_sdl_mem_stats(&s);
	IS_INT(s.pooled, 0, "before the first frame nothing is kept");

	ui_sdl_mem_pool_start();
	p = SDL_malloc(BIG);
	memset(p, 0xAB, BIG);
	SDL_free(p);
	ui_sdl_mem_stats(&s0);
	OK(s0.npooled == 1 && s0.pooled >= BIG, "a freed big block is kept (%zu bytes)", s0.pooled);
	q = SDL_calloc(1, BIG);
	ui_sdl_mem_stats(&s);
	IS_INT(s.reused, s0.reused + 1, "a block of the same size reuses it");
	OK(q && all_zero(q, BIG), "a reused block asked for zeroed is all zeros");
	/* realloc within the mapping keeps the bytes. */
	memset(q, 0x5A, BIG);
	q = SDL_realloc(q, BIG - 1000);
	OK(q && q[0] == 0x5A && q[BIG - 1001] == 0x5A, "shrinking keeps the content");
	q = SDL_realloc(q, 4 * BIG);
	OK(q && q[0] == 0x5A && q[BIG - 1001] == 0x5A, "growing keeps the content");
	SDL_free(q);

	/* A block much smaller than the pooled ones does not take one (no waste). */
	ui_sdl_mem_trim();
	p = SDL_malloc(4 * BIG);
	SDL_free(p);
	ui_sdl_mem_stats(&s0);
	p = SDL_malloc(BIG);
	ui_sdl_mem_stats(&s);
	IS_INT(s.reused, s0.reused, "a 1 MB pooled block is not spent on 256 KB");
	SDL_free(p);

	/* Many freed at once: the pool keeps to its bound. */
	void *v[40];
	for (int i = 0; i < 40; i++)
		v[i] = SDL_malloc(BIG + (size_t)i * 4096);
	for (int i = 0; i < 40; i++)
		SDL_free(v[i]);
	ui_sdl_mem_stats(&s);
	OK(s.pooled <= POOL_MAX && s.npooled <= 32, "the pool stays within 3 MB (%zu in %d)",
	   s.pooled, s.npooled);
	ui_sdl_mem_trim();
	ui_sdl_mem_stats(&s);
	OK(s.pooled == 0 && s.npooled == 0, "trim gives every pooled block back");
}

/* The same text, red then blue, in one cache too small to keep both: the blue one's
 * texture is the red one's block again. It must show blue only, pixel for pixel as a
 * blue drawn on its own (a leftover red pixel would survive the paint, which keeps
 * the larger coverage). */
static int draw_once(SDL_Color first, int with_first, uint32_t *out, int w, int h,
		     unsigned long *reused)
{
	SDL_Surface *t = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(t);
	struct text_cache *c = text_cache_new(r, 1);
	struct text_style st = {.role = TEXT_BOLD, .px = 96, .color = first};
	const char *s = "น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น";
	struct ui_sdl_mem_stats m0, m;
	SDL_Rect box = {10, 10, w - 20, h - 20};

	if (!t || !r || !c)
		return 0;
	if (with_first) {
		text_cache_frame(c);
		text_draw(c, s, &st, box, NULL);
	}
	ui_sdl_mem_stats(&m0);
	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	SDL_RenderClear(r);
	text_cache_frame(c);
	st.color = (SDL_Color){0, 0, 255, 255};
	text_draw(c, s, &st, box, NULL);
	SDL_RenderPresent(r);
	ui_sdl_mem_stats(&m);
	*reused = m.reused - m0.reused;
	for (int y = 0; y < h; y++)
		memcpy(out + (size_t)y * (size_t)w,
		       (uint8_t *)t->pixels + (size_t)y * (size_t)t->pitch, (size_t)w * 4);
	text_cache_free(c);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(t);
	return 1;
}

static void test_reused_texture(void)
{
	enum { W = 1000, H = 300 };
	uint32_t *a = malloc((size_t)W * H * 4), *b = malloc((size_t)W * H * 4);
	unsigned long reused_a = 0, reused_b = 0;
	struct kerr err = {0};

	if (!OK(a && b && text_init(&err) == K_OK, "text_init: %s", err.msg))
		goto out;
	ui_sdl_mem_pool_start();
	ui_sdl_mem_trim();
	OK(draw_once((SDL_Color){255, 0, 0, 255}, 1, a, W, H, &reused_a) &&
	       draw_once((SDL_Color){0}, 0, b, W, H, &reused_b),
	   "drew the text twice on a software renderer");
	OK(reused_a > 0, "the blue texture reused freed blocks (%lu)", reused_a);
	int red = 0, diff = 0, ink = 0;
	for (size_t i = 0; i < (size_t)W * H; i++) {
		uint32_t p = a[i];
		red += ((p >> 16) & 0xFF) > 0x80 && (p & 0xFF) < 0x80;
		diff += p != b[i];
		ink += (p & 0xFFFFFF) != 0xFFFFFF;
	}
	OK(ink > 1000, "the text is there (%d pixels of ink)", ink);
	IS_INT(red, 0, "no red pixel from the texture's previous text");
	IS_INT(diff, 0, "pixel for pixel the same as the text drawn fresh");
	text_quit();
out:
	free(a);
	free(b);
}

int main(void)
{
	if (!OK(ui_sdl_mem_install() == 1, "installed before any other SDL call"))
		return tap_done();
	test_blocks();
	test_reused_texture();
	return tap_done();
}
