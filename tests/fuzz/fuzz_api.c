/* Fuzz target: the counter API as a client on the LAN sees it. The real server
 * (libmicrohttpd + our handlers, on a scratch store) gets each input as raw
 * bytes on a fresh TCP connection; after every input it must still answer a
 * well-formed request. Run from the source tree (it loads config/). */
#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/config.h"
#include "net/api.h"

#define REPLY_WAIT_MS 300 /* per read; the server answers junk at once */

static struct kapi *api;
static int port;

static int talk(const uint8_t *data, size_t size, char *reply, size_t cap)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), got = 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t off = 0; off < size;) {
		ssize_t w = send(fd, data + off, size - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, REPLY_WAIT_MS) <= 0)
			break;
		ssize_t r = recv(fd, reply + got, cap - 1 - (size_t)got, 0);
		if (r <= 0 || (size_t)(got + r) >= cap - 1)
			break;
		got += (int)r;
	}
	reply[got] = 0;
	close(fd);
	return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kconfig cfg;
	char reply[8192];

	if (!api) {
		struct kdiag d = {0};
		struct kerr err;
		static char dir[] = "/tmp/kiosk-fuzz-api.XXXXXX";
		if (kconfig_load("config", &cfg, &d) || !mkdtemp(dir))
			abort();
		struct kapi_conf conf = {.cfg = &cfg, .data_dir = dir, .bind = "127.0.0.1",
					 .port = 0, .timeout_s = 1};
		if (kapi_start(&conf, &api, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
		port = kapi_port(api);
	}
	talk(data, size, reply, sizeof reply);
	static const char ok_req[] = "GET /api/queue HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	/* The server may refuse while junk connections from this one address wait
	 * for their idle timeout (the per-address cap at work); it must answer
	 * again once they are dropped. */
	for (int i = 0;; i++) {
		if (talk((const uint8_t *)ok_req, sizeof ok_req - 1, reply, sizeof reply) > 0 &&
		    !strncmp(reply, "HTTP/1.1 200", 12))
			break;
		if (i == 40) {
			fprintf(stderr, "the API stopped answering after this input\n");
			abort();
		}
		usleep(100 * 1000);
	}
	return 0;
}
