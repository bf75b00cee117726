/* 1-bit bitmaps, QR drawing, ESC/POS bytes (exact), slicing, paper widths,
 * the raster decoder round trip and DLE EOT status answers. */
#include <stdlib.h>

#include "core/bitmap.h"
#include "dev/escpos.h"
#include "dev/qr.h"
#include "tap.h"

static void test_bitmap(void)
{
	struct bitmap bm, src;
	struct kerr err = {0};

	IS_INT(bitmap_init(&bm, 10, 3, &err), K_OK, "10x3 bitmap");
	IS_INT(bm.stride, 2, "10 dots need 2 bytes a row");
	bitmap_set(&bm, 0, 0, 1);
	bitmap_set(&bm, 9, 2, 1);
	bitmap_set(&bm, 10, 0, 1); /* outside: ignored */
	bitmap_set(&bm, -1, 0, 1);
	IS_INT(bm.bits[0], 0x80, "left dot is the high bit");
	IS_INT(bm.bits[5], 0x40, "dot 9 is bit 6 of the second byte");
	IS_INT(bm.bits[1] | bm.bits[3], 0, "pad bits stay white");
	IS_INT(bitmap_get(&bm, 9, 2), 1, "get reads a set dot");
	IS_INT(bitmap_get(&bm, 100, 100), 0, "outside reads white");
	bitmap_fill(&bm, -5, -5, 1000000, 1000000, 1);
	IS_INT(bitmap_count_black(&bm), 30, "fill clipped to the bitmap");
	IS_INT(bm.bits[1] & 0x3f, 0, "fill leaves pad bits white");
	bitmap_fill(&bm, 2147483000, 0, 2147483000, 5, 0); /* overflowing ints: no effect, no crash */
	IS_INT(bitmap_count_black(&bm), 30, "hostile fill arguments are harmless");
	bitmap_free(&bm);
	IS_INT(bitmap_init(&bm, 0, 5, &err), K_EUSAGE, "zero width refused");
	IS_INT(bitmap_init(&bm, BITMAP_DIM_MAX + 1, 5, &err), K_EUSAGE, "over-wide refused");
	bitmap_free(&bm);

	bitmap_init(&bm, 16, 16, &err);
	bitmap_init(&src, 4, 4, &err);
	bitmap_fill(&src, 0, 0, 2, 4, 1); /* left half black */
	bitmap_fill(&bm, 0, 0, 16, 16, 1);
	bitmap_blit(&bm, 14, 14, &src, BITMAP_COPY);
	IS_INT(bitmap_get(&bm, 15, 15), 1, "blit COPY: black dot copied");
	bitmap_blit(&bm, 0, 0, &src, BITMAP_COPY);
	IS_INT(bitmap_get(&bm, 3, 3), 0, "blit COPY: white erases");
	bitmap_fill(&bm, 0, 0, 16, 16, 1);
	bitmap_blit(&bm, -2, -2, &src, BITMAP_OR);
	IS_INT(bitmap_count_black(&bm), 256, "blit OR: white leaves the destination");
	bitmap_fill(&bm, 0, 0, 16, 16, 0);
	bitmap_blit(&bm, -1, 13, &src, BITMAP_OR);
	IS_INT(bitmap_count_black(&bm), 3, "blit clipped at left and bottom");
	bitmap_free(&bm);
	bitmap_free(&src);

	/* Thresholding an SDL-like 8-bit surface with padding in each row. */
	uint8_t gray[3 * 12];
	memset(gray, 0xee, sizeof gray); /* pitch padding garbage */
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 9; x++)
			gray[y * 12 + x] = (uint8_t)(x * 30);
	IS_INT(bitmap_from_gray(&bm, gray, 9, 3, 12, 128, &err), K_OK, "from_gray with pitch 12");
	IS_INT(bitmap_count_black(&bm), 15, "values 0..120 are ink, 150..240 paper");
	IS_INT(bm.bits[0], 0xf8, "first row bits");
	bitmap_free(&bm);
	IS_INT(bitmap_from_gray(&bm, gray, 9, 3, 8, 128, &err), K_EUSAGE, "pitch shorter than a row refused");

	uint32_t argb[4] = {0x00000000, 0xff000000, 0xffffffff, 0x80000000};
	IS_INT(bitmap_from_argb32(&bm, argb, 4, 1, 16, 100, &err), K_OK, "from_argb32");
	IS_INT(bm.bits[0], 0x40, "transparent=paper, opaque black=ink, white=paper, half alpha=paper at 100");
	bitmap_free(&bm);
	bitmap_from_argb32(&bm, argb, 4, 1, 16, 128, &err);
	IS_INT(bm.bits[0], 0x50, "half-alpha black (grey 127) is ink at threshold 128");
	bitmap_free(&bm);
}

static void test_qr(void)
{
	struct qr q;
	struct bitmap bm;
	struct kerr err = {0};
	const char *p = "https://q.bangkhae.go.th/t?o=bangkhae&d=2026-11-24&n=A023&s=ANH44SKWPU";

	IS_INT(qr_encode(&q, p, strlen(p), &err), K_OK, "QR encoded");
	IS_INT(q.size, 17 + 4 * q.version, "size = 17 + 4 * version");
	OK(q.version >= 4 && q.version <= 6, "a ticket URL needs version 4-6 at ECC M (got %d)", q.version);
	/* Finder pattern: the top-left 7x7 has a dark ring and a dark 3x3 core. */
	OK(qr_dark(&q, 0, 0) && qr_dark(&q, 6, 6) && !qr_dark(&q, 1, 1) && qr_dark(&q, 3, 3),
	   "finder pattern in the corner");
	IS_INT(qr_side(&q, 4, QR_QUIET), (q.size + 8) * 4, "drawn side includes the quiet zone");
	IS_INT(qr_fit_scale(&q, 300, QR_QUIET), 300 / (q.size + 8), "fit scale");
	IS_INT(qr_to_bitmap(&q, 3, QR_QUIET, &bm, &err), K_OK, "drawn at scale 3");
	IS_INT(bitmap_get(&bm, 12, 12), 1, "first dark module at the quiet zone's corner");
	IS_INT(bitmap_get(&bm, 11, 11), 0, "quiet zone is white");
	IS_INT(bitmap_get(&bm, 14, 14), 1, "a module is 3x3 dots");
	IS_INT(qr_draw(&q, &bm, 1, 0, 3, QR_QUIET, &err), K_EUSAGE, "drawing past the edge refused");
	IS_INT(qr_draw(&q, &bm, 0, 0, 0, QR_QUIET, &err), K_EUSAGE, "scale 0 refused");
	bitmap_free(&bm);
	qr_free(&q);
	IS_INT(qr_encode(&q, "", 0, &err), K_EUSAGE, "empty payload refused");
	char big[QR_PAYLOAD_MAX + 1];
	memset(big, 'x', sizeof big);
	IS_INT(qr_encode(&q, big, sizeof big, &err), K_EUSAGE, "over-long payload refused");
	/* 8-bit mode: bytes that are not text still encode. */
	IS_INT(qr_encode(&q, "a\0b\xff", 4, &err), K_OK, "binary payload with NUL encodes");
	qr_free(&q);
}

static void test_bytes(void)
{
	struct bitmap bm;
	struct kerr err = {0};
	struct escpos e;
	uint8_t buf[4096];

	/* 16x3: rows AA 55 / FF 00 / 01 80 */
	bitmap_init(&bm, 16, 3, &err);
	const uint8_t rows[6] = {0xAA, 0x55, 0xFF, 0x00, 0x01, 0x80};
	memcpy(bm.bits, rows, 6);
	escpos_begin(&e, buf, sizeof buf);
	escpos_raster(&e, &bm, 0, 0);
	const uint8_t want[] = {0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00,
				0xAA, 0x55, 0xFF, 0x00, 0x01, 0x80};
	IS_INT(e.len, sizeof want, "16x3 raster is 8 header + 6 data bytes");
	OK(!memcmp(buf, want, sizeof want), "exact bytes: GS v 0, m=0, xL=2 xH=0 yL=3 yH=0, rows");

	/* Slices of 2 rows: 2 + 1. */
	escpos_begin(&e, buf, sizeof buf);
	escpos_raster(&e, &bm, 0, 2);
	const uint8_t want2[] = {0x1d, 0x76, 0x30, 0, 2, 0, 2, 0, 0xAA, 0x55, 0xFF, 0x00,
				 0x1d, 0x76, 0x30, 0, 2, 0, 1, 0, 0x01, 0x80};
	IS_INT(e.len, sizeof want2, "two slices: 2 headers + 6 data bytes");
	OK(!memcmp(buf, want2, sizeof want2), "exact bytes of the sliced raster");
	IS_INT(escpos_raster_size(16, 3, 2), sizeof want2, "raster_size agrees");

	/* Centred in a 48-dot band: 6 bytes a row, image at byte 2. */
	escpos_begin(&e, buf, sizeof buf);
	escpos_raster(&e, &bm, 48, 0);
	IS_INT(buf[4], 6, "band of 48 dots: xL = 6");
	const uint8_t row0[6] = {0, 0, 0xAA, 0x55, 0, 0};
	OK(!memcmp(buf + 8, row0, 6), "image centred on a byte boundary, white around");

	/* Width of 10 dots: stride 2, pad bits zero on the wire. */
	struct bitmap b10;
	bitmap_init(&b10, 10, 1, &err);
	bitmap_fill(&b10, 0, 0, 10, 1, 1);
	escpos_begin(&e, buf, sizeof buf);
	escpos_raster(&e, &b10, 0, 0);
	OK(buf[4] == 2 && buf[8] == 0xff && buf[9] == 0xc0, "10 black dots -> FF C0 (pad white)");
	bitmap_free(&b10);

	/* A whole ticket on each paper width. */
	int widths[] = {ESCPOS_PAPER_58, ESCPOS_PAPER_80_NARROW, ESCPOS_PAPER_80};
	for (int i = 0; i < 3; i++) {
		struct escpos_opts o = {widths[i], 0, 4, ESCPOS_CUT_PARTIAL};
		escpos_begin(&e, buf, sizeof buf);
		IS_INT(escpos_ticket(&e, &bm, &o, &err), K_OK, "ticket on %d-dot paper", widths[i]);
		IS_INT(e.len, escpos_ticket_size(&o, 3), "ticket_size agrees (%zu bytes)", e.len);
		OK(buf[0] == 0x1b && buf[1] == 0x40, "starts with ESC @");
		IS_INT(buf[2 + 4] | buf[2 + 5] << 8, widths[i] / 8, "xL xH = %d bytes", widths[i] / 8);
		const uint8_t tail[] = {0x1b, 0x64, 4, 0x1d, 0x56, 0x42, 0};
		OK(!memcmp(buf + e.len - sizeof tail, tail, sizeof tail), "ends with ESC d 4, GS V 66 0");
	}
	struct escpos_opts o = {500, 0, 0, ESCPOS_CUT_NONE};
	escpos_begin(&e, buf, sizeof buf);
	IS_INT(escpos_ticket(&e, &bm, &o, &err), K_EUSAGE, "500-dot paper refused");
	OK(strstr(err.msg, "384") != NULL, "message lists the widths: %s", err.msg);
	struct bitmap wide;
	bitmap_init(&wide, 400, 2, &err);
	o.paper_dots = 384;
	IS_INT(escpos_ticket(&e, &wide, &o, &err), K_EUSAGE, "image wider than the paper refused");
	bitmap_free(&wide);
	o.paper_dots = 576;
	o.cut = ESCPOS_CUT_FULL;
	escpos_begin(&e, buf, 100);
	IS_INT(escpos_ticket(&e, &bm, &o, &err), K_EFAIL, "buffer too small: error, not overrun");
	OK(e.len <= 100 && e.overflow, "nothing written past the buffer");
	uint8_t *heap;
	size_t hl;
	o.paper_dots = 384;
	IS_INT(escpos_ticket_alloc(&bm, &o, &heap, &hl, &err), K_OK, "ticket_alloc");
	IS_INT(hl, escpos_ticket_size(&o, bm.h), "ticket_alloc: exact size");
	free(heap);
	o.paper_dots = 100;
	IS_INT(escpos_ticket_alloc(&bm, &o, &heap, &hl, &err), K_EUSAGE, "ticket_alloc: bad paper refused");
	OK(heap == NULL && hl == 0, "nothing allocated");
	escpos_begin(&e, buf, sizeof buf);
	escpos_cut(&e, ESCPOS_CUT_FULL);
	OK(e.len == 4 && buf[2] == 0x41, "full cut is GS V 65");
	bitmap_free(&bm);
}

static void random_bitmap(struct bitmap *bm, int w, int h)
{
	bitmap_init(bm, w, h, NULL);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			bitmap_set(bm, x, y, rand() & 1);
}

static void test_roundtrip(void)
{
	struct kerr err = {0};
	struct bitmap bm, back;
	struct escpos_info info;
	int widths[] = {384, 512, 576};
	int slices[] = {1, 255, ESCPOS_SLICE_MAX};

	srand(7);
	for (int i = 0; i < 3; i++) {
		random_bitmap(&bm, widths[i], 700);
		struct escpos_opts o = {widths[i], slices[i], 3, ESCPOS_CUT_PARTIAL};
		size_t cap = escpos_ticket_size(&o, bm.h);
		uint8_t *buf = malloc(cap);
		struct escpos e;
		escpos_begin(&e, buf, cap);
		escpos_ticket(&e, &bm, &o, &err);
		IS_INT(escpos_decode(buf, e.len, &back, &info, &err), K_OK, "decode %d-dot ticket", widths[i]);
		OK(bitmap_equal(&bm, &back), "round trip %d dots, slices of %d: bitmap equal", widths[i],
		   slices[i]);
		IS_INT(info.slices, (700 + slices[i] - 1) / slices[i], "slice count");
		OK(info.inits == 1 && info.cuts == 1 && info.feeds == 3, "init, feed and cut seen");
		bitmap_free(&back);

		/* Truncated stream: refused with an offset, never read past. */
		IS_INT(escpos_decode(buf, e.len - 20, &back, &info, &err), K_EUSAGE, "truncated stream refused");
		free(buf);
		bitmap_free(&bm);
	}
	/* A narrower image comes back centred in the paper band. */
	random_bitmap(&bm, 200, 50);
	struct escpos_opts o = {384, 0, 0, ESCPOS_CUT_NONE};
	uint8_t buf[64 * 1024];
	struct escpos e;
	escpos_begin(&e, buf, sizeof buf);
	escpos_ticket(&e, &bm, &o, &err);
	escpos_decode(buf, e.len, &back, &info, &err);
	int same = back.w == 384;
	for (int y = 0; y < 50 && same; y++)
		for (int x = 0; x < 384; x++) {
			int want = x >= 88 && x < 288 ? bitmap_get(&bm, x - 88, y) : 0;
			if (bitmap_get(&back, x, y) != want)
				same = 0;
		}
	OK(same, "200-dot image printed at dot 88 of 384, white elsewhere");
	bitmap_free(&back);
	bitmap_free(&bm);

	const uint8_t unknown[] = {0x1b, 0x40, 0x1b, 0x21, 0x00};
	IS_INT(escpos_decode(unknown, sizeof unknown, &back, &info, &err), K_EUSAGE, "unknown command refused");
	OK(strstr(err.msg, "offset 2") != NULL, "at its offset: %s", err.msg);
	const uint8_t none[] = {0x1b, 0x40, 0x1d, 0x56, 0x42, 0x00};
	IS_INT(escpos_decode(none, sizeof none, &back, &info, &err), K_EABSENT, "no raster: absent");
	const uint8_t mixed[] = {0x1d, 0x76, 0x30, 0, 1, 0, 1, 0, 0xff, 0x1d, 0x76, 0x30, 0, 2, 0, 1, 0, 1, 2};
	IS_INT(escpos_decode(mixed, sizeof mixed, &back, &info, &err), K_EUSAGE, "slices of different widths refused");
	const uint8_t scaled[] = {0x1d, 0x76, 0x30, 3, 1, 0, 1, 0, 0xff};
	IS_INT(escpos_decode(scaled, sizeof scaled, &back, &info, &err), K_EUSAGE, "scaled raster mode refused");
	const uint8_t huge[] = {0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff};
	IS_INT(escpos_decode(huge, sizeof huge, &back, &info, &err), K_EUSAGE, "65535x65535 header refused");
}

static void test_status(void)
{
	struct escpos_status st = {0};
	uint8_t q[3];
	escpos_status_query(q, 4);
	OK(q[0] == 0x10 && q[1] == 0x04 && q[2] == 4, "DLE EOT 4 bytes");
	IS_INT(escpos_status_parse(4, 0x12, &st), K_OK, "0x12 is a paper answer");
	OK(!st.paper_out && !st.paper_near_end, "0x12: paper present");
	escpos_status_parse(4, 0x1e, &st);
	OK(st.paper_near_end && !st.paper_out, "0x1e: near end");
	escpos_status_parse(4, 0x72, &st);
	OK(st.paper_out, "0x72: paper out");
	memset(&st, 0, sizeof st);
	escpos_status_parse(2, 0x32, &st);
	OK(st.paper_out && !st.cover_open, "DLE EOT 2 0x32: stopped by paper end");
	escpos_status_parse(2, 0x16, &st);
	OK(st.cover_open, "DLE EOT 2 0x16: cover open");
	escpos_status_parse(1, 0x1a, &st);
	OK(st.offline, "DLE EOT 1 0x1a: offline");
	IS_INT(escpos_status_parse(4, 0x00, &st), K_EUSAGE, "0x00 is not a status answer");
	IS_INT(escpos_status_parse(4, 0x93, &st), K_EUSAGE, "0x93 is not a status answer");
	IS_INT(escpos_status_parse(9, 0x12, &st), K_EUSAGE, "unknown n refused");
}

int main(void)
{
	test_bitmap();
	test_qr();
	test_bytes();
	test_roundtrip();
	test_status();
	return tap_done();
}
