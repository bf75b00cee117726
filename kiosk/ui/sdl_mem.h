/**
 * @file sdl_mem.h
 * @brief SDL's and SDL_ttf's allocations through the app: big blocks (text textures,
 * rendered lines) come mapped and populated in one call.
 *
 * A fresh anonymous page costs a fault on first touch; a text texture of 64 KB to 1 MB
 * is 16 to 256 of them, taken one by one as SDL clears it. Populated up front
 * (MAP_POPULATE) the kernel fills them in one go, at about a third of the cost: the
 * checklist's first frame paid a fifth of its time in such faults. Freed, a big block
 * goes back to the system, so a long day does not leave holes in the heap; once the
 * pool is on (after the first frame: start-up's blocks are one-offs that would only
 * raise its peak), up to 3 MB of freed blocks are kept for the next ones of much their
 * size, until the screen rests. A text miss frees and maps blocks of the same few
 * sizes again and again, and each unmapping cost a TLB flush on every CPU the
 * process's threads ran on (an interrupt to each, waited for): with the pool a
 * language toggle draws in 1.7 ms, not 6.0, and a visit of screen changes runs in
 * about half the time. The price: up to 3 MB more while screens change.
 */
#ifndef KIOSK_SDL_MEM_H
#define KIOSK_SDL_MEM_H

#include <stddef.h>

/* Routes SDL's allocator through ours. Call before any other SDL call; when SDL has
 * already allocated (a library used it first) it does nothing and returns 0, since
 * blocks from the old allocator must not reach the new one. Returns 1 when in use. */
int ui_sdl_mem_install(void);

struct ui_sdl_mem_stats {
	unsigned long reused; /* big blocks served from the pool */
	unsigned long mapped; /* big blocks that needed a new mapping */
	size_t pooled;	      /* bytes in the pool now */
	int npooled;	      /* mappings in the pool now */
};
void ui_sdl_mem_stats(struct ui_sdl_mem_stats *out);

/* From now on freed big blocks are kept for reuse (off at start: see above). */
void ui_sdl_mem_pool_start(void);

/* Gives every pooled mapping back to the system (at a visit's end, with text_trim, and
 * when no frame was drawn for a second). */
void ui_sdl_mem_trim(void);

#endif
