/* The paper ticket: every service of the shipped catalogue, normal and priority,
 * at 384, 512 and 576 dots: every text inside the paper and none on top of
 * another (nothing cut, nothing overprinted), the number as large as fits, the QR
 * inside and at least 4 dots a module, the ESC/POS stream decoding back to the
 * same picture, thin Thai marks surviving the 1-bit threshold, and the texts the
 * screen shares. Run from the source tree (config/, fonts/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "dev/escpos.h"
#include "tap.h"
#include "paper/ticket_render.h"

static const int widths[] = {384, 512, 576};

static int inside(SDL_Rect r, int W)
{
	return r.x >= 0 && r.w >= 0 && r.x + r.w <= W;
}

/* Two ink boxes meet (a bullet and its text share rows, never columns). */
static int meet(SDL_Rect a, SDL_Rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Rows of black in the top third of a bitmap: where upper marks live. */
static long upper_ink(const struct bitmap *bm)
{
	long n = 0;
	for (int y = 0; y < bm->h / 3; y++)
		for (int x = 0; x < bm->w; x++)
			n += bitmap_get(bm, x, y);
	return n;
}

static void test_texts(void)
{
	struct kissued is = {0};
	char b[TICKET_TEXT_MAX];
	is.ahead = 3, is.wait_minutes = 45;
	ticket_text_wait(&is, TEXT_TH, b, sizeof b);
	IS_STR(b, "รออีก 3 คิว · ประมาณ 45 นาที", "wait in Thai");
	ticket_text_wait(&is, TEXT_EN, b, sizeof b);
	IS_STR(b, "3 ahead of you · about 45 min", "wait in English");
	is.ahead = 0;
	ticket_text_wait(&is, TEXT_TH, b, sizeof b);
	IS_STR(b, "ท่านเป็นคิวถัดไป", "nobody ahead");
	/* 2026-11-24 09:41 Bangkok = 02:41 UTC. */
	ticket_text_when(1795488060, TEXT_TH, b, sizeof b);
	IS_STR(b, "24 พ.ย. 2569 เวลา 09:41 น.", "Buddhist-era date and time");
	ticket_text_when(1795488060, TEXT_EN, b, sizeof b);
	IS_STR(b, "24 Nov 2026, 09:41", "English date and time");
	struct kdoc d = {.name = {"สำเนาทะเบียนบ้าน", "House registration copy"}, .copies = 1};
	ticket_text_doc(&d, TEXT_TH, b, sizeof b);
	IS_STR(b, "สำเนาทะเบียนบ้าน (สำเนา 1)", "document with its count");
	d.originals = 1, d.copies = 2;
	ticket_text_doc(&d, TEXT_EN, b, sizeof b);
	IS_STR(b, "House registration copy (1 original, 2 copies)", "English counts");
}

static void test_marks(void)
{
	struct kerr err = {0};
	struct bitmap a, b;
	/* The smallest size on paper (58 mm floor). */
	OK(!ticket_text_bitmap("ที", TEXT_REGULAR, 18, TEXT_LEFT, 0, &a, &err), "render ที");
	OK(!ticket_text_bitmap("ที่", TEXT_REGULAR, 18, TEXT_LEFT, 0, &b, &err), "render ที่");
	OK(upper_ink(&b) > upper_ink(&a), "mai ek over sara i survives 1-bit at 18 px (%ld > %ld dots)",
	   upper_ink(&b), upper_ink(&a));
	bitmap_free(&a), bitmap_free(&b);
	OK(!ticket_text_bitmap("ชือ", TEXT_REGULAR, 18, TEXT_LEFT, 0, &a, &err), "render ชือ");
	OK(!ticket_text_bitmap("ชื่อ", TEXT_REGULAR, 18, TEXT_LEFT, 0, &b, &err), "render ชื่อ");
	OK(upper_ink(&b) > upper_ink(&a), "mai ek stacked on sara ue survives (%ld > %ld dots)",
	   upper_ink(&b), upper_ink(&a));
	bitmap_free(&a), bitmap_free(&b);
}

static void test_tickets(const struct kconfig *cfg)
{
	struct kerr err = {0};
	int bad_boxes = 0, bad_overlap = 0, bad_qr = 0, bad_escpos = 0, n = 0, bad_render = 0;
	int maxrows[3] = {0}, minnum[3] = {1 << 20, 1 << 20, 1 << 20};

	for (size_t s = 0; s < cfg->catalog.n; s++)
		for (int pri = 0; pri < 2; pri++)
			for (int wi = 0; wi < 3; wi++) {
				const struct kservice *sv = &cfg->catalog.svc[s];
				struct kissued is = {0};
				char qr[128];
				int W = widths[wi];
				snprintf(is.t.number, sizeof is.t.number, "%c128", sv->prefix);
				snprintf(is.t.service, sizeof is.t.service, "%s", sv->id);
				is.t.priority = pri;
				is.t.issued_at = 1795488060;
				is.ahead = 12, is.wait_minutes = 180;
				snprintf(qr, sizeof qr,
					 "https://queue.bangkhae.example/t?o=bangkhae&d=2026-11-24&n=%s&s=ABCDEFGHIJ",
					 is.t.number);
				struct ticket_info ti = {cfg, sv, &is, qr};
				struct bitmap bm, back;
				struct ticket_layout L;
				n++;
				if (ticket_render(&ti, W, &bm, &L, &err)) {
					bad_render++;
					printf("# %s %d: %s\n", sv->id, W, err.msg);
					continue;
				}
				maxrows[wi] = L.h > maxrows[wi] ? L.h : maxrows[wi];
				minnum[wi] = L.number_px < minnum[wi] ? L.number_px : minnum[wi];
				if (L.overflow || L.dropped || L.w != W || bm.w != W || bm.h != L.h)
					bad_boxes++;
				for (int i = 0; i < L.nbox; i++) {
					if (!inside(L.box[i].ink, W) || L.box[i].ink.y + L.box[i].ink.h > L.h) {
						bad_boxes++;
						printf("# %s %d: '%s' leaves the paper\n", sv->id, W, L.box[i].what);
					}
					for (int j = 0; j < i; j++)
						if (meet(L.box[i].ink, L.box[j].ink) &&
						    strcmp(L.box[i].what, "priority_who") &&
						    strcmp(L.box[i].what, "priority")) {
							bad_overlap++;
							printf("# %s %d: '%s' overlaps '%s'\n", sv->id, W,
							       L.box[i].what, L.box[j].what);
						}
					if (L.qr.w && meet(L.box[i].ink, L.qr))
						bad_overlap++;
				}
				if (!L.qr.w || !inside(L.qr, W) || L.qr_scale < 4)
					bad_qr++;
				uint8_t *buf;
				size_t len;
				struct escpos_info info;
				if (ticket_escpos(&bm, W, &buf, &len, &err) ||
				    escpos_decode(buf, len, &back, &info, &err)) {
					bad_escpos++;
				} else {
					if (!bitmap_equal(&bm, &back) || info.cuts != 1 ||
					    info.feeds != TICKET_FEED_LINES)
						bad_escpos++;
					bitmap_free(&back);
					free(buf);
				}
				bitmap_free(&bm);
			}
	IS_INT(bad_render, 0, "%d tickets render (every service, normal and priority, 3 widths)", n);
	IS_INT(bad_boxes, 0, "every text inside the paper, no overflow");
	IS_INT(bad_overlap, 0, "no text on top of another or of the QR");
	IS_INT(bad_qr, 0, "QR inside the paper at >= 4 dots a module");
	IS_INT(bad_escpos, 0, "ESC/POS decodes to the same picture, one cut, feed");
	for (int wi = 0; wi < 3; wi++) {
		printf("# %d dots: longest ticket %d rows (%d mm), number %d px\n", widths[wi],
		       maxrows[wi], maxrows[wi] / 8, minnum[wi]);
		OK(minnum[wi] >= widths[wi] / 4, "number large at %d dots (%d px)", widths[wi], minnum[wi]);
	}
}

static void test_refusals(const struct kconfig *cfg)
{
	struct kerr err = {0};
	struct bitmap bm;
	struct kissued is = {0};
	snprintf(is.t.number, sizeof is.t.number, "A001");
	struct ticket_info ti = {cfg, &cfg->catalog.svc[0], &is, ""};
	IS_INT(ticket_render(&ti, 500, &bm, NULL, &err), K_EUSAGE, "paper width 500 refused");
	IS_INT(ticket_render(&ti, 384, &bm, NULL, &err), K_OK, "no QR (signing failed): still a ticket");
	bitmap_free(&bm);
	ti.svc = NULL;
	IS_INT(ticket_render(&ti, 384, &bm, NULL, &err), K_EUSAGE, "no service: refused");
}

int main(void)
{
	struct kerr err = {0};
	struct kconfig cfg;
	struct kdiag diag = {0};

	test_texts();
	if (!OK(kconfig_load("config", &cfg, &diag) == K_OK, "shipped config loads"))
		return tap_done();
	if (!OK(text_init(&err) == K_OK, "text_init: %s", err.msg))
		return tap_done();
	test_marks();
	test_tickets(&cfg);
	test_refusals(&cfg);
	text_quit();
	kconfig_free(&cfg);
	return tap_done();
}
