/**
 * @file fdio.c
 * @brief Whole reads and writes on a file descriptor.
 */
#include "core/fdio.h"

#include <errno.h>
#include <unistd.h>

/* One loop for both directions; `out` writes buf (never modified then). */
static int whole(int fd, char *buf, size_t n, int out)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = out ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) { /* end of file, or a write that makes no progress: do not spin */
			errno = EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int fd_read_all(int fd, void *buf, size_t n)
{
	return whole(fd, buf, n, 0);
}

int fd_write_all(int fd, const void *buf, size_t n)
{
	return whole(fd, (char *)buf, n, 1);
}
