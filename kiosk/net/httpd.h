/**
 * @file httpd.h
 * @brief Starting a libmicrohttpd server the way every listener of ours does: a numeric
 * bind address (IPv4 or IPv6), thread per connection, bounded connections, memory and
 * idle time, errors on stderr with the command's name, and the port actually bound
 * (port 0: the kernel picks). Used by the counter API and the district collector.
 */
#ifndef KIOSK_HTTPD_H
#define KIOSK_HTTPD_H

#include <stddef.h>

#include <microhttpd.h>

#include "core/err.h"

struct khttpd_conf {
	const char *bind;      /* numeric address; a name is refused (no DNS at start) */
	const char *bind_name; /* where the user set it, for the error: "--bind", "[api] bind" */
	int port;	       /* 0: the kernel picks a free one */
	unsigned conn_max;     /* connections at once */
	unsigned conn_per_ip;  /* from one address */
	unsigned timeout_s;    /* an idle connection is dropped after this */
	size_t conn_memory;    /* per connection: request line and headers */
	const char *log_name;  /* prefix of libmicrohttpd's messages: "kiosk serve" */
	MHD_AccessHandlerCallback handler;
	MHD_RequestCompletedCallback completed;
	/* NULL: libmicrohttpd's own */
	size_t (*unescape)(void *cls, struct MHD_Connection *c, char *s);
	void *cls; /* passed to the three callbacks */
};

/* Starts the server: *d running and *port the port it listens on. K_EUSAGE for an
 * address that is not numeric, K_EFAIL (with the reason) when it cannot listen. */
kst khttpd_start(const struct khttpd_conf *c, struct MHD_Daemon **d, int *port, struct kerr *err);

#endif
