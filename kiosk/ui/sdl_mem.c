/**
 * @file sdl_mem.c
 * @brief See sdl_mem.h.
 */
#include "ui/sdl_mem.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <SDL2/SDL.h>

#define SDL_MEM_BIG (64 * 1024) /* bytes: blocks this big or bigger get their own mapping */

/* Every block starts with this header, so free() and realloc() know where it came
 * from. Its size keeps the caller's block as aligned as malloc's (16 bytes). */
struct blk {
	size_t size;   /* the caller's bytes */
	size_t mapped; /* bytes mapped (header included), 0 = from malloc */
};
#define HDR ((sizeof(struct blk) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t))

static size_t page_size(void)
{
	static size_t ps;
	if (!ps) {
		long p = sysconf(_SC_PAGESIZE);
		ps = p > 0 ? (size_t)p : 4096;
	}
	return ps;
}

static void *blk_user(struct blk *b)
{
	return (char *)b + HDR;
}

static struct blk *blk_of(void *p)
{
	return (struct blk *)(void *)((char *)p - HDR);
}

/* A new block of size bytes, zeroed when zero is set (mapped ones always are). */
static void *blk_new(size_t size, int zero)
{
	struct blk *b;
	if (size > SIZE_MAX - HDR - page_size())
		return NULL;
	if (size >= SDL_MEM_BIG) {
		size_t len = (size + HDR + page_size() - 1) & ~(page_size() - 1);
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (m != MAP_FAILED) {
			b = m;
			b->size = size;
			b->mapped = len;
			return blk_user(b);
		}
		/* No mapping left: the heap may still have room. */
	}
	b = zero ? calloc(1, HDR + size) : malloc(HDR + size);
	if (!b)
		return NULL;
	b->size = size;
	b->mapped = 0;
	return blk_user(b);
}

static void *sm_malloc(size_t size)
{
	return blk_new(size, 0);
}

static void *sm_calloc(size_t n, size_t each)
{
	if (each && n > SIZE_MAX / each)
		return NULL;
	return blk_new(n * each, 1);
}

static void sm_free(void *p)
{
	if (!p)
		return;
	struct blk *b = blk_of(p);
	if (b->mapped)
		munmap(b, b->mapped);
	else
		free(b);
}

static void *sm_realloc(void *p, size_t size)
{
	if (!p)
		return blk_new(size, 0);
	struct blk *b = blk_of(p);
	if (!b->mapped && size < SDL_MEM_BIG) {
		if (size > SIZE_MAX - HDR)
			return NULL;
		struct blk *nb = realloc(b, HDR + size);
		if (!nb)
			return NULL;
		nb->size = size;
		return blk_user(nb);
	}
	if (b->mapped && size + HDR <= b->mapped && size >= SDL_MEM_BIG / 2) {
		b->size = size; /* still fits its mapping, and not so small it wastes it */
		return p;
	}
	void *q = blk_new(size, 0);
	if (!q)
		return NULL;
	memcpy(q, p, b->size < size ? b->size : size);
	sm_free(p);
	return q;
}

int ui_sdl_mem_install(void)
{
	static int installed;
	if (installed)
		return 1;
	/* Blocks SDL already holds came from the old allocator: ours would misread them. */
	if (SDL_GetNumAllocations() > 0)
		return 0;
	if (SDL_SetMemoryFunctions(sm_malloc, sm_calloc, sm_realloc, sm_free) != 0)
		return 0;
	installed = 1;
	return 1;
}
