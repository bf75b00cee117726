/**
 * @file httpd.c
 * @brief See httpd.h.
 */
#include "net/httpd.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* One line per message, prefixed with the command's name (cls). */
static void log_line(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = 0;
	fprintf(stderr, "%s: %s\n", (const char *)cls, line);
}

kst khttpd_start(const struct khttpd_conf *c, struct MHD_Daemon **d, int *port, struct kerr *err)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char service[16];

	*d = NULL;
	snprintf(service, sizeof service, "%d", c->port);
	int gai = getaddrinfo(c->bind, service, &hints, &ai);
	if (gai || !ai) {
		if (ai)
			freeaddrinfo(ai);
		return kerr_set(err, K_EUSAGE, "%s %s: not an IP address (%s)", c->bind_name,
				c->bind, gai_strerror(gai));
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The unescape callback is optional: an array option is skipped when MHD_OPTION_END. */
	struct MHD_OptionItem extra[] = {
	    {c->unescape ? MHD_OPTION_UNESCAPE_CALLBACK : MHD_OPTION_END, (intptr_t)c->unescape,
	     c->cls},
	    {MHD_OPTION_END, 0, NULL},
	};
	*d = MHD_start_daemon(
	    flags, (uint16_t)c->port, NULL, NULL, c->handler, c->cls, MHD_OPTION_EXTERNAL_LOGGER,
	    log_line, (void *)c->log_name, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, c->conn_max, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    c->conn_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->conn_memory, MHD_OPTION_NOTIFY_COMPLETED,
	    c->completed, c->cls, MHD_OPTION_ARRAY, extra, MHD_OPTION_END);
	int e = errno; /* why it could not listen, before freeaddrinfo */
	freeaddrinfo(ai);
	if (!*d)
		return kerr_set(err, K_EFAIL, "cannot listen on %s port %d: %s", c->bind, c->port,
				e ? strerror(e) : "libmicrohttpd refused to start");
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(*d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info && info->port ? info->port : c->port;
	return K_OK;
}
