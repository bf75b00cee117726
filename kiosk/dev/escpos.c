/**
 * @file escpos.c
 * @brief ESC/POS stream builder, decoder and status parser (see escpos.h).
 */
#include "dev/escpos.h"

#include <stdlib.h>
#include <string.h>

int escpos_paper_valid(int dots)
{
	return dots == ESCPOS_PAPER_58 || dots == ESCPOS_PAPER_80_NARROW || dots == ESCPOS_PAPER_80;
}

void escpos_begin(struct escpos *e, uint8_t *buf, size_t cap)
{
	e->buf = buf;
	e->cap = buf ? cap : 0;
	e->len = 0;
	e->overflow = 0;
}

static void put(struct escpos *e, const void *p, size_t n)
{
	if (e->overflow || n > e->cap - e->len) {
		e->overflow = 1;
		return;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
}

void escpos_init(struct escpos *e)
{
	put(e, "\x1b\x40", 2);
}

void escpos_feed(struct escpos *e, int lines)
{
	if (lines <= 0)
		return;
	uint8_t c[3] = {0x1b, 0x64, (uint8_t)(lines > ESCPOS_FEED_MAX ? ESCPOS_FEED_MAX : lines)};
	put(e, c, 3);
}

void escpos_cut(struct escpos *e, enum escpos_cut how)
{
	if (how == ESCPOS_CUT_NONE)
		return;
	/* Function B: the printer itself feeds the last printed line past the cutter. */
	uint8_t c[4] = {0x1d, 0x56, how == ESCPOS_CUT_FULL ? 0x41 : 0x42, 0};
	put(e, c, 4);
}

static int slice_or_default(int slice_rows)
{
	if (slice_rows <= 0)
		return ESCPOS_SLICE_DEFAULT;
	return slice_rows > ESCPOS_SLICE_MAX ? ESCPOS_SLICE_MAX : slice_rows;
}

size_t escpos_raster_size(int width_dots, int rows, int slice_rows)
{
	if (width_dots < 1 || rows < 1)
		return 0;
	size_t s = (size_t)slice_or_default(slice_rows);
	size_t slices = ((size_t)rows + s - 1) / s;
	return slices * ESCPOS_RASTER_HDR + (size_t)rows * (((size_t)width_dots + 7) / 8);
}

void escpos_raster(struct escpos *e, const struct bitmap *bm, int width_dots, int slice_rows)
{
	int band = width_dots > 0 ? (width_dots + 7) / 8 : bm->stride;
	int slice = slice_or_default(slice_rows);

	if (!bm->bits || band < bm->stride || band > 0xffff) {
		e->overflow = 1;
		return;
	}
	/* Centred on a byte boundary, so every row is a plain copy. */
	int off = (band - bm->stride) / 2;
	if (e->overflow || escpos_raster_size(band * 8, bm->h, slice) > e->cap - e->len) {
		e->overflow = 1;
		return;
	}
	for (int y0 = 0; y0 < bm->h; y0 += slice) {
		int n = bm->h - y0 < slice ? bm->h - y0 : slice;
		uint8_t hdr[ESCPOS_RASTER_HDR] = {0x1d, 0x76, 0x30, 0,
						  (uint8_t)(band & 0xff), (uint8_t)(band >> 8),
						  (uint8_t)(n & 0xff), (uint8_t)(n >> 8)};
		put(e, hdr, sizeof hdr);
		for (int y = y0; y < y0 + n; y++) {
			uint8_t *row = e->buf + e->len;
			memset(row, 0, (size_t)band);
			memcpy(row + off, bm->bits + (size_t)y * (size_t)bm->stride, (size_t)bm->stride);
			e->len += (size_t)band;
		}
	}
}

kst escpos_end(const struct escpos *e, struct kerr *err)
{
	if (e->overflow)
		return kerr_set(err, K_EFAIL, "ESC/POS stream does not fit its %zu-byte buffer", e->cap);
	return K_OK;
}

size_t escpos_ticket_size(const struct escpos_opts *o, int rows)
{
	return 2 + escpos_raster_size(o->paper_dots, rows, o->slice_rows) + (o->feed_lines > 0 ? 3 : 0) +
	       (o->cut != ESCPOS_CUT_NONE ? 4 : 0);
}

kst escpos_ticket(struct escpos *e, const struct bitmap *bm, const struct escpos_opts *o,
		  struct kerr *err)
{
	if (!escpos_paper_valid(o->paper_dots))
		return kerr_set(err, K_EUSAGE, "paper width %d dots: use 384 (58 mm), 512 or 576 (80 mm)",
				o->paper_dots);
	if (bm->w > o->paper_dots)
		return kerr_set(err, K_EUSAGE, "ticket image is %d dots wide, the paper %d", bm->w,
				o->paper_dots);
	if (o->slice_rows < 0 || o->slice_rows > ESCPOS_SLICE_MAX)
		return kerr_set(err, K_EUSAGE, "raster slice of %d rows: use 1..%d", o->slice_rows,
				ESCPOS_SLICE_MAX);
	escpos_init(e);
	escpos_raster(e, bm, o->paper_dots, o->slice_rows);
	escpos_feed(e, o->feed_lines);
	escpos_cut(e, o->cut);
	return escpos_end(e, err);
}

kst escpos_ticket_alloc(const struct bitmap *bm, const struct escpos_opts *o, uint8_t **out,
			size_t *len, struct kerr *err)
{
	struct escpos e;
	*out = NULL;
	*len = 0;
	if (!escpos_paper_valid(o->paper_dots))
		return escpos_ticket(&e, bm, o, err); /* for its message */
	size_t cap = escpos_ticket_size(o, bm->h);
	uint8_t *buf = malloc(cap);
	if (!buf)
		return kerr_set(err, K_EFAIL, "out of memory for a %zu-byte ticket", cap);
	escpos_begin(&e, buf, cap);
	kst rc = escpos_ticket(&e, bm, o, err);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = e.len;
	return K_OK;
}

/* --- decoder -------------------------------------------------------------- */

/* One pass over the stream; with out == NULL only measures. */
static kst walk(const uint8_t *b, size_t len, struct bitmap *out, struct escpos_info *in,
		struct kerr *err)
{
	size_t i = 0;
	int row = 0;

	memset(in, 0, sizeof *in);
	while (i < len) {
		size_t left = len - i;
		const uint8_t *p = b + i;
		if (p[0] == 0x1b && left >= 2 && p[1] == 0x40) {
			in->inits++;
			i += 2;
		} else if (p[0] == 0x1b && left >= 3 && (p[1] == 0x64 || p[1] == 0x4a || p[1] == 0x61)) {
			if (p[1] == 0x64)
				in->feeds += p[2];
			i += 3;
		} else if (p[0] == 0x10 && left >= 3 && p[1] == 0x04) {
			in->queries++;
			i += 3;
		} else if (p[0] == 0x1d && left >= 3 && p[1] == 0x56 &&
			   (p[2] == 0 || p[2] == 1 || p[2] == 48 || p[2] == 49)) {
			in->cuts++;
			i += 3;
		} else if (p[0] == 0x1d && left >= 4 && p[1] == 0x56 && (p[2] == 65 || p[2] == 66)) {
			in->cuts++;
			i += 4;
		} else if (p[0] == 0x1d && left >= ESCPOS_RASTER_HDR && p[1] == 0x76 && p[2] == 0x30) {
			int wb = p[4] | p[5] << 8, h = p[6] | p[7] << 8;
			if (p[3] != 0 && p[3] != 48)
				return kerr_set(err, K_EUSAGE, "offset %zu: raster mode %d (scaled) not supported",
						i, p[3]);
			if (wb < 1 || h < 1)
				return kerr_set(err, K_EUSAGE, "offset %zu: empty raster %dx%d", i, wb, h);
			if (in->slices && wb * 8 != in->width)
				return kerr_set(err, K_EUSAGE, "offset %zu: raster %d bytes wide after %d",
						i, wb, in->width / 8);
			if (wb * 8 > BITMAP_DIM_MAX || in->rows + h > BITMAP_DIM_MAX)
				return kerr_set(err, K_EUSAGE, "offset %zu: raster larger than %d dots", i,
						BITMAP_DIM_MAX);
			size_t data = (size_t)wb * (size_t)h;
			if (left - ESCPOS_RASTER_HDR < data)
				return kerr_set(err, K_EUSAGE, "offset %zu: raster cut short (%zu of %zu bytes)",
						i, left - ESCPOS_RASTER_HDR, data);
			if (out)
				memcpy(out->bits + (size_t)row * (size_t)out->stride, p + ESCPOS_RASTER_HDR, data);
			row += h;
			in->width = wb * 8;
			in->rows += h;
			in->slices++;
			i += ESCPOS_RASTER_HDR + data;
		} else {
			return kerr_set(err, K_EUSAGE, "offset %zu: unexpected byte 0x%02x", i, p[0]);
		}
	}
	return K_OK;
}

kst escpos_decode(const uint8_t *buf, size_t len, struct bitmap *out, struct escpos_info *info,
		  struct kerr *err)
{
	struct escpos_info tmp;
	struct escpos_info *in = info ? info : &tmp;
	memset(out, 0, sizeof *out);
	kst rc = walk(buf, len, NULL, in, err);
	if (rc)
		return rc;
	if (in->slices == 0)
		return kerr_set(err, K_EABSENT, "no raster image in the stream");
	rc = bitmap_init(out, in->width, in->rows, err);
	if (rc)
		return rc;
	return walk(buf, len, out, in, err);
}

/* --- status --------------------------------------------------------------- */

void escpos_status_query(uint8_t out[3], int n)
{
	out[0] = 0x10;
	out[1] = 0x04;
	out[2] = (uint8_t)n;
}

kst escpos_status_parse(int n, uint8_t b, struct escpos_status *st)
{
	/* Bits 1 and 4 are always 1, bits 0 and 7 always 0 in every DLE EOT answer. */
	if ((b & 0x93) != 0x12)
		return K_EUSAGE;
	switch (n) {
	case ESCPOS_STATUS_PRINTER:
		st->offline = !!(b & 0x08);
		break;
	case ESCPOS_STATUS_OFFLINE:
		st->cover_open = !!(b & 0x04);
		st->paper_out = !!(b & 0x20);
		st->error = !!(b & 0x40);
		break;
	case ESCPOS_STATUS_ERROR:
		st->error = !!(b & 0x68);
		break;
	case ESCPOS_STATUS_PAPER:
		st->paper_near_end = (b & 0x0c) != 0; /* documented as both bits; some clones set one */
		st->paper_out = (b & 0x60) != 0;
		break;
	default:
		return K_EUSAGE;
	}
	return K_OK;
}
