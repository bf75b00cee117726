/* Whole reads and writes (core/fdio): a reader that gets its bytes in dribbles still
 * gets them all; a file that ends early or a full disk is an error with a reason the
 * user can be told (EIO, ENOSPC), never a short file taken as whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fdio.h"
#include "tap.h"

int main(void)
{
	char want[4096], got[4096];
	int p[2];
	for (size_t i = 0; i < sizeof want; i++)
		want[i] = (char)(i * 31 + 7);

	/* Packets of 7 bytes: each read() returns one, so the loop must go on 586 times. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p))
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (size_t off = 0; off < sizeof want; off += 7)
			if (write(p[1], want + off, sizeof want - off < 7 ? sizeof want - off : 7) <
			    0)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	memset(got, 0, sizeof got);
	OK(fd_read_all(p[0], got, sizeof got) == 0,
	   "a socket giving 7 bytes a read: all 4096 read");
	OK(!memcmp(got, want, sizeof want), "in order, unchanged");
	errno = 0;
	OK(fd_read_all(p[0], got, 1) == -1 && errno == EIO, "then the end: -1 with EIO, not 0");
	close(p[0]);
	waitpid(pid, NULL, 0);

	/* A file shorter than asked. */
	char path[] = "/tmp/kiosk-fdio.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 2;
	OK(fd_write_all(fd, want, 100) == 0, "100 bytes written to a file");
	lseek(fd, 0, SEEK_SET);
	errno = 0;
	OK(fd_read_all(fd, got, 101) == -1 && errno == EIO, "reading 101 of them: -1 with EIO");
	close(fd);
	unlink(path);

	/* A full disk. */
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		errno = 0;
		OK(fd_write_all(fd, want, sizeof want) == -1 && errno == ENOSPC,
		   "a full disk: -1 with ENOSPC");
		close(fd);
	}
	/* Nothing to do is done. */
	OK(fd_write_all(-1, want, 0) == 0 && fd_read_all(-1, got, 0) == 0,
	   "zero bytes: nothing is touched");
	return tap_done();
}
