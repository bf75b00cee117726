/**
 * @file sdl_mem.h
 * @brief SDL's and SDL_ttf's allocations through the app: big blocks (text textures,
 * rendered lines) come mapped and populated in one call.
 *
 * A fresh anonymous page costs a fault on first touch; a text texture of 64 KB to 1 MB
 * is 16 to 256 of them, taken one by one as SDL clears it. Populated up front
 * (MAP_POPULATE) the kernel fills them in one go, at about a third of the cost: the
 * checklist's first frame paid a fifth of its time in such faults. Freed, a big block
 * goes straight back to the system, as the M_MMAP_THRESHOLD setting did before, so a
 * long day does not leave holes in the heap.
 */
#ifndef KIOSK_SDL_MEM_H
#define KIOSK_SDL_MEM_H

/* Routes SDL's allocator through ours. Call before any other SDL call; when SDL has
 * already allocated (a library used it first) it does nothing and returns 0, since
 * blocks from the old allocator must not reach the new one. Returns 1 when in use. */
int ui_sdl_mem_install(void);

#endif
