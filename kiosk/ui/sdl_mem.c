/**
 * @file sdl_mem.c
 * @brief See sdl_mem.h.
 */
#include "ui/sdl_mem.h"

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <SDL2/SDL.h>

#define SDL_MEM_BIG (64 * 1024) /* bytes: blocks this big or bigger get their own mapping */
#define SDL_MEM_POOL_N 32	/* freed mappings kept for reuse, at most */
/* ... and at most this many bytes of them: what one screen's text misses free. The
 * attract screen in one language is 2.1 MB of text textures; a language toggle loop
 * then keeps 2.0 MB pooled and maps nothing new (`sdl-mem` trace line). */
#define SDL_MEM_POOL_BYTES (3u << 20)

/* Every block starts with this header, so free() and realloc() know where it came
 * from. Its size keeps the caller's block as aligned as malloc's (16 bytes). */
struct blk {
	size_t size;   /* the caller's bytes */
	size_t mapped; /* bytes mapped (header included), 0 = from malloc */
};
#define HDR                                                                                        \
	((sizeof(struct blk) + alignof(max_align_t) - 1) / alignof(max_align_t) *                  \
	 alignof(max_align_t))

/* Freed mappings, newest last. A text miss frees the evicted texture and the rendered
 * lines and maps new ones of much the same sizes: unmapping costs a TLB flush on every
 * CPU the process's threads ran on (an interrupt to each, waited for: on a busy 2-core
 * machine the frame's largest cost), and mapping again costs the faults. Reused, a
 * mapping costs neither. */
static struct {
	pthread_mutex_t lock;
	struct blk *v[SDL_MEM_POOL_N];
	int n;
	size_t bytes;
	int on; /* ui_sdl_mem_pool_start() */
	struct ui_sdl_mem_stats st;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

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

/* Takes block i out of the pool (under the lock). */
static struct blk *pool_remove(int i)
{
	struct blk *b = pool.v[i];
	pool.bytes -= b->mapped;
	memmove(pool.v + i, pool.v + i + 1, (size_t)(pool.n - i - 1) * sizeof pool.v[0]);
	pool.n--;
	return b;
}

static void pool_drop(int i)
{
	struct blk *b = pool_remove(i);
	munmap(b, b->mapped);
}

/* A pooled mapping of len to len + len/4 bytes (the best fit), or NULL. */
static struct blk *pool_take(size_t len)
{
	struct blk *b = NULL;
	int best = -1;
	pthread_mutex_lock(&pool.lock);
	for (int i = 0; i < pool.n; i++) {
		size_t m = pool.v[i]->mapped;
		if (m >= len && m - len <= len / 4 && (best < 0 || m < pool.v[best]->mapped))
			best = i;
	}
	if (best >= 0) {
		b = pool_remove(best);
		pool.st.reused++;
	} else {
		pool.st.mapped++;
	}
	pthread_mutex_unlock(&pool.lock);
	return b;
}

/* Keeps b for reuse, or unmaps it (a block too big for the pool; the oldest make room). */
static void pool_put(struct blk *b)
{
	pthread_mutex_lock(&pool.lock);
	if (!pool.on || b->mapped > SDL_MEM_POOL_BYTES) {
		pthread_mutex_unlock(&pool.lock);
		munmap(b, b->mapped);
		return;
	}
	while (pool.n && (pool.n == SDL_MEM_POOL_N || pool.bytes + b->mapped > SDL_MEM_POOL_BYTES))
		pool_drop(0);
	pool.v[pool.n++] = b;
	pool.bytes += b->mapped;
	pthread_mutex_unlock(&pool.lock);
}

/* A new block of size bytes, zeroed when zero is set (fresh mappings always are). */
static void *blk_new(size_t size, int zero)
{
	struct blk *b;
	if (size > SIZE_MAX - HDR - page_size())
		return NULL;
	if (size >= SDL_MEM_BIG) {
		size_t len = (size + HDR + page_size() - 1) & ~(page_size() - 1);
		b = pool_take(len);
		if (b) {
			if (zero)
				memset(blk_user(b), 0, size);
			b->size = size;
			return blk_user(b);
		}
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
		pool_put(b);
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

void ui_sdl_mem_stats(struct ui_sdl_mem_stats *out)
{
	pthread_mutex_lock(&pool.lock);
	*out = pool.st;
	out->pooled = pool.bytes;
	out->npooled = pool.n;
	pthread_mutex_unlock(&pool.lock);
}

void ui_sdl_mem_pool_start(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.on = 1;
	pthread_mutex_unlock(&pool.lock);
}

void ui_sdl_mem_trim(void)
{
	pthread_mutex_lock(&pool.lock);
	while (pool.n)
		pool_drop(0);
	pthread_mutex_unlock(&pool.lock);
}
