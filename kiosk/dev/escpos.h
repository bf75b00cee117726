/**
 * @file escpos.h
 * @brief ESC/POS byte streams for thermal ticket printers: the ticket goes as a
 * raster image, never as text (Thai code pages differ per vendor and marks land
 * wrong), plus the real-time status query for paper out.
 *
 * The builder writes into a buffer the caller owns and never grows it: a command
 * that does not fit sets `overflow` and the stream must not be sent
 * (escpos_end() says so). Commands used:
 *   ESC @              1B 40                initialise
 *   GS v 0             1D 76 30 m xL xH yL yH + rows    raster, x in bytes
 *   ESC d n            1B 64 n              print and feed n lines
 *   GS V m n           1D 56 41|42 n        feed to the cutter (+n) and cut full|partial
 *   DLE EOT n          10 04 n              real-time status (answered even when busy)
 * Tall images go in slices of at most slice_rows rows, one GS v 0 each, because
 * many printers have small receive buffers and a limit on yL + yH * 256.
 *
 * escpos_decode() reads such a stream back into a bitmap (tests, and checking a
 * printer file before sending it).
 */
#ifndef KIOSK_ESCPOS_H
#define KIOSK_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

#include "core/bitmap.h"
#include "core/err.h"

#define ESCPOS_SLICE_DEFAULT 255 /* rows per GS v 0: fits the smallest buffers seen */
#define ESCPOS_SLICE_MAX 2303    /* Epson's limit of yL + yH * 256 on TM-T88 class printers */
#define ESCPOS_RASTER_HDR 8      /* bytes of one GS v 0 header */
#define ESCPOS_FEED_MAX 255      /* ESC d n: n is one byte */

/* Paper widths in dots (203 dpi heads): 58 mm, some 80 mm models, 80 mm. */
#define ESCPOS_PAPER_58 384
#define ESCPOS_PAPER_80_NARROW 512
#define ESCPOS_PAPER_80 576

enum escpos_cut {
	ESCPOS_CUT_NONE,    /* tear-off bar only */
	ESCPOS_CUT_FULL,    /* GS V 65 n */
	ESCPOS_CUT_PARTIAL, /* GS V 66 n: leaves a hinge, the ticket does not fall */
};

struct escpos {
	uint8_t *buf; /* the caller's buffer */
	size_t cap;   /* its size */
	size_t len;   /* bytes written so far */
	int overflow; /* a command did not fit: the stream is incomplete */
};

/* How a ticket is printed (settings, not constants). */
struct escpos_opts {
	int paper_dots;          /* 384, 512 or 576 */
	int slice_rows;          /* 1..ESCPOS_SLICE_MAX; 0 = ESCPOS_SLICE_DEFAULT */
	int feed_lines;          /* lines fed after the image before the cut, 0..255 */
	enum escpos_cut cut;
};

/* 1 for 384, 512, 576. */
int escpos_paper_valid(int dots);

void escpos_begin(struct escpos *e, uint8_t *buf, size_t cap);
void escpos_init(struct escpos *e);                  /* ESC @ */
void escpos_feed(struct escpos *e, int lines);       /* ESC d n, clamped to 0..255 */
void escpos_cut(struct escpos *e, enum escpos_cut how);
/* The image in slices, placed in a band `width_dots` wide (rounded up to whole
 * bytes), centred on a byte boundary; width_dots 0 = the image's own width.
 * Sets overflow when it does not fit the buffer or is wider than the band. */
void escpos_raster(struct escpos *e, const struct bitmap *bm, int width_dots, int slice_rows);
/* K_OK, or K_EFAIL when the stream overflowed its buffer. */
kst escpos_end(const struct escpos *e, struct kerr *err);

/* Bytes escpos_raster() needs. */
size_t escpos_raster_size(int width_dots, int rows, int slice_rows);
/* Bytes of a whole ticket stream (init, raster, feed, cut). */
size_t escpos_ticket_size(const struct escpos_opts *o, int rows);
/* The whole ticket: init, the image centred on the paper, feed, cut.
 * K_EUSAGE for a bad paper width or an image wider than the paper,
 * K_EFAIL when the buffer is too small. */
kst escpos_ticket(struct escpos *e, const struct bitmap *bm, const struct escpos_opts *o,
		  struct kerr *err);

/* escpos_ticket into a buffer of the right size, allocated here (free() it). */
kst escpos_ticket_alloc(const struct bitmap *bm, const struct escpos_opts *o, uint8_t **out,
			size_t *len, struct kerr *err);

/* What escpos_decode found besides the image. */
struct escpos_info {
	int inits;   /* ESC @ */
	int slices;  /* GS v 0 blocks */
	int feeds;   /* lines fed by ESC d (ESC J and ESC a are accepted, not counted) */
	int cuts;    /* GS V */
	int queries; /* DLE EOT */
	int width;   /* dots of the raster band */
	int rows;    /* total raster rows */
};

/* Rebuilds the raster image from a stream made of the commands above (m = 0
 * only). Slices must share one width. K_EUSAGE with the offset of the first
 * byte it does not understand; K_EABSENT when there is no raster at all. */
kst escpos_decode(const uint8_t *buf, size_t len, struct bitmap *out, struct escpos_info *info,
		  struct kerr *err);

/* --- real-time status (bidirectional links: TCP, USB printer class) ------- */
#define ESCPOS_STATUS_PRINTER 1 /* DLE EOT 1: online/offline */
#define ESCPOS_STATUS_OFFLINE 2 /* DLE EOT 2: why offline (cover, paper end) */
#define ESCPOS_STATUS_ERROR 3   /* DLE EOT 3: cutter / unrecoverable errors */
#define ESCPOS_STATUS_PAPER 4   /* DLE EOT 4: paper roll sensor */

struct escpos_status {
	int offline;        /* n=1 bit 3 */
	int cover_open;     /* n=2 bit 2 */
	int paper_out;      /* n=2 bit 5 (stopped by paper end) or n=4 bits 5-6 */
	int paper_near_end; /* n=4 bits 2-3 */
	int error;          /* n=2 bit 6, n=3 bits 3/5/6 */
};

/* Writes DLE EOT n (3 bytes) into out. */
void escpos_status_query(uint8_t out[3], int n);
/* Reads the printer's one-byte answer to DLE EOT n into st (fields for other
 * n are left as they were). K_EUSAGE when the byte is not a status answer
 * (fixed bits 0x93 must read 0x12): line noise or an automatic status block. */
kst escpos_status_parse(int n, uint8_t b, struct escpos_status *st);

#endif
