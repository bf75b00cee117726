/**
 * @file printer.c
 * @brief Bounded-time delivery of print jobs (see printer.h).
 */
#include "dev/printer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/lp.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "dev/escpos.h"

#define DETAIL_MAX 256  /* the technical half of a message */
#define DRAIN_POLL_MS 10 /* how often to look whether the peer took the data */

void printer_opts_default(struct printer_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_ms = 2000;
	o->io_ms = 5000;
	o->job_ms = 30000;
	o->status_ms = 300;
	o->probe_ms = 0;
	o->lang = "en";
}

const char *printer_status_name(enum printer_status st)
{
	switch (st) {
	case PRINTER_OK: return "ok";
	case PRINTER_ABSENT: return "absent";
	case PRINTER_PAPER_OUT: return "paper_out";
	case PRINTER_WRITE_ERROR: return "write_error";
	case PRINTER_STALLED: return "stalled";
	case PRINTER_UNKNOWN: break;
	}
	return "unknown";
}

const char *printer_status_text(enum printer_status st, const char *lang)
{
	int th = lang && !strcmp(lang, "th");
	switch (st) {
	case PRINTER_OK:
		return th ? "เครื่องพิมพ์พร้อมใช้งาน" : "Printer ready";
	case PRINTER_ABSENT:
		return th ? "ไม่พบเครื่องพิมพ์ ตรวจสอบสายและการเปิดเครื่อง"
			  : "Printer not found: check its cable and power";
	case PRINTER_PAPER_OUT:
		return th ? "กระดาษหมด กรุณาใส่ม้วนกระดาษใหม่" : "Paper out: load a new roll";
	case PRINTER_WRITE_ERROR:
		return th ? "เครื่องพิมพ์ขัดข้อง ส่งงานพิมพ์ไม่สำเร็จ"
			  : "Printer fault: the ticket could not be sent";
	case PRINTER_STALLED:
		return th ? "เครื่องพิมพ์ไม่ตอบสนอง (หมดเวลา)"
			  : "Printer not responding (timed out)";
	case PRINTER_UNKNOWN:
		break;
	}
	return th ? "ยังไม่ทราบสถานะเครื่องพิมพ์" : "Printer status not known yet";
}

kst printer_status_kst(enum printer_status st)
{
	switch (st) {
	case PRINTER_OK: return K_OK;
	case PRINTER_ABSENT:
	case PRINTER_STALLED: return K_EABSENT;
	case PRINTER_PAPER_OUT:
	case PRINTER_WRITE_ERROR: return K_EDEVICE;
	case PRINTER_UNKNOWN: break;
	}
	return K_EFAIL;
}

kst printer_parse(const char *spec, struct printer_target *t, struct kerr *err)
{
	memset(t, 0, sizeof *t);
	if (!spec || !*spec)
		return kerr_set(err, K_EUSAGE, "printer: empty target (use usb:, tcp:, file: or none)");
	size_t n = strlen(spec);
	if (n > PRINTER_SPEC_MAX)
		return kerr_set(err, K_EUSAGE, "printer: target longer than %d bytes", PRINTER_SPEC_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)spec[i] < 0x20 || spec[i] == 0x7f)
			return kerr_set(err, K_EUSAGE, "printer: control character in target");
	memcpy(t->spec, spec, n + 1);
	if (!strcmp(spec, "none")) {
		t->kind = PRINTER_NONE;
		return K_OK;
	}
	if (!strncmp(spec, "usb:", 4) || !strncmp(spec, "file:", 5)) {
		const char *p = spec + (spec[0] == 'u' ? 4 : 5);
		t->kind = spec[0] == 'u' ? PRINTER_USB : PRINTER_FILE;
		if (p[0] != '/')
			return kerr_set(err, K_EUSAGE, "printer %s: needs an absolute path", spec);
		memcpy(t->path, p, strlen(p) + 1);
		return K_OK;
	}
	if (!strncmp(spec, "tcp:", 4)) {
		const char *h = spec + 4, *he, *colon;
		if (h[0] == '[') {
			he = strchr(h, ']');
			if (!he || he[1] != ':')
				return kerr_set(err, K_EUSAGE, "printer %s: use tcp:[IPv6]:PORT", spec);
			colon = he + 1;
			h++;
		} else {
			colon = strrchr(h, ':');
			if (!colon || memchr(h, ':', (size_t)(colon - h)))
				return kerr_set(err, K_EUSAGE, "printer %s: use tcp:HOST:PORT", spec);
			he = colon;
		}
		size_t hl = (size_t)(he - h);
		if (hl == 0 || hl > PRINTER_HOST_MAX)
			return kerr_set(err, K_EUSAGE, "printer %s: bad host", spec);
		const char *ps = colon + 1;
		char *end;
		errno = 0;
		long port = strtol(ps, &end, 10);
		if (!*ps || *end || errno || port < 1 || port > 65535 || ps[0] == '+' || ps[0] == '-')
			return kerr_set(err, K_EUSAGE, "printer %s: port must be 1..65535", spec);
		memcpy(t->host, h, hl);
		t->host[hl] = 0;
		snprintf(t->port, sizeof t->port, "%ld", port);
		t->kind = PRINTER_TCP;
		return K_OK;
	}
	return kerr_set(err, K_EUSAGE, "printer '%s': use usb:/dev/usb/lp0, tcp:HOST:9100, file:/path or none",
			spec);
}

/* --- one job ---------------------------------------------------------------- */


/* An open device and the bounds of the job on it. */
struct io {
	int fd;
	int is_sock;     /* send() with MSG_NOSIGNAL, SIOCOUTQ */
	int is_fifo;     /* FIONREAD tells what the reader has not taken */
	int bidir;       /* the device can answer (DLE EOT) */
	int is_lp;       /* LPGETSTATUS works */
	int64_t deadline;
	const struct printer_opts *o;
	char det[DETAIL_MAX]; /* what went wrong */
};

static __attribute__((format(printf, 3, 4))) enum printer_status
detail(struct io *io, enum printer_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(io->det, sizeof io->det, fmt, ap);
	va_end(ap);
	return st;
}

/* Reads and discards what the device sent (unasked status blocks).
 * 0, or -1 when the connection closed or failed. */
static int drain_input(struct io *io)
{
	uint8_t tmp[256];
	for (;;) {
		ssize_t n = read(io->fd, tmp, sizeof tmp);
		if (n > 0)
			continue;
		if (n == 0)
			return io->is_sock ? -1 : 0; /* EOF on a socket: the printer hung up */
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return io->is_sock ? -1 : 0; /* a lp without read side says EINVAL: harmless */
	}
}

/* ms left before the job deadline, at most cap. */
static int left_ms(const struct io *io, int cap)
{
	int64_t l = io->deadline - kclock_mono_ms();
	if (l > cap)
		l = cap;
	return l < 0 ? 0 : (int)l;
}

/* Asks DLE EOT 4. 1 answered (es filled), 0 silent, -1 connection lost. */
static int query_paper(struct io *io, struct escpos_status *es)
{
	uint8_t q[3];
	int64_t end = kclock_mono_ms() + left_ms(io, io->o->status_ms);
	size_t off = 0;

	if (drain_input(io) < 0)
		return -1;
	escpos_status_query(q, ESCPOS_STATUS_PAPER);
	while (off < sizeof q) {
		struct pollfd pf = {io->fd, POLLOUT, 0};
		int w = (int)(end - kclock_mono_ms());
		if (w <= 0 || poll(&pf, 1, w) <= 0)
			return 0;
		if (pf.revents & (POLLERR | POLLHUP))
			return -1;
		ssize_t n = io->is_sock ? send(io->fd, q + off, sizeof q - off, MSG_NOSIGNAL)
					: write(io->fd, q + off, sizeof q - off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	for (;;) {
		struct pollfd pf = {io->fd, POLLIN, 0};
		int w = (int)(end - kclock_mono_ms());
		if (w <= 0)
			return 0;
		int r = poll(&pf, 1, w);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		uint8_t b[16];
		ssize_t n = read(io->fd, b, sizeof b);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == 0 && io->is_sock)
			return -1;
		if (n <= 0)
			return io->is_sock ? -1 : 0;
		/* The first byte shaped like a status answer is the answer. */
		for (ssize_t i = 0; i < n; i++)
			if (escpos_status_parse(ESCPOS_STATUS_PAPER, b[i], es) == K_OK)
				return 1;
	}
}

/* The paper check before and after a job. */
static enum printer_status check_paper(struct io *io, const char *when)
{
	if (io->is_lp) {
		int s = 0;
		if (ioctl(io->fd, LPGETSTATUS, &s) == 0 && (s & LP_POUTPA))
			return detail(io, PRINTER_PAPER_OUT, "paper-empty signal %s the job", when);
	}
	if (io->bidir && io->o->status_ms > 0) {
		struct escpos_status es = {0};
		int r = query_paper(io, &es);
		if (r < 0)
			return detail(io, PRINTER_WRITE_ERROR, "the printer closed the connection %s the job",
				      when);
		if (r > 0 && es.paper_out)
			return detail(io, PRINTER_PAPER_OUT, "paper sensor reports no paper %s the job", when);
	}
	return PRINTER_OK;
}

static enum printer_status io_error(struct io *io, int e, size_t off, size_t len)
{
	if (e == ENOSPC) /* usblp with LPABORT: paper out */
		return detail(io, PRINTER_PAPER_OUT, "device reports no paper after %zu of %zu bytes", off,
			      len);
	return detail(io, PRINTER_WRITE_ERROR, "%s after %zu of %zu bytes", strerror(e), off, len);
}

static enum printer_status sock_error(struct io *io, size_t off, size_t len)
{
	int e = 0;
	socklen_t sl = sizeof e;
	if (!io->is_sock || getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0 || !e)
		e = EPIPE; /* a FIFO whose reader left */
	return io_error(io, e, off, len);
}

static enum printer_status write_job(struct io *io, const uint8_t *p, size_t len)
{
	size_t off = 0;
	int64_t last = kclock_mono_ms();

	while (off < len) {
		int64_t now = kclock_mono_ms();
		if (now >= io->deadline)
			return detail(io, PRINTER_STALLED, "job not done within %d ms (%zu of %zu bytes sent)",
				      io->o->job_ms, off, len);
		if (now - last >= io->o->io_ms)
			return detail(io, PRINTER_STALLED, "took no data for %d ms (%zu of %zu bytes sent)",
				      io->o->io_ms, off, len);
		struct pollfd pf = {io->fd, (short)(POLLOUT | (io->bidir ? POLLIN : 0)), 0};
		int r = poll(&pf, 1, left_ms(io, (int)(last + io->o->io_ms - now)));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return io_error(io, errno, off, len);
		if (r == 0)
			continue; /* the loop head tells which bound ran out */
		if ((pf.revents & POLLIN) && drain_input(io) < 0)
			return detail(io, PRINTER_WRITE_ERROR,
				      "the printer closed the connection after %zu of %zu bytes", off, len);
		if (pf.revents & (POLLERR | POLLNVAL))
			return sock_error(io, off, len);
		if ((pf.revents & POLLHUP) && !(pf.revents & POLLOUT))
			return sock_error(io, off, len);
		if (!(pf.revents & POLLOUT))
			continue;
		size_t n = len - off < PRINTER_CHUNK ? len - off : PRINTER_CHUNK;
		ssize_t w = io->is_sock ? send(io->fd, p + off, n, MSG_NOSIGNAL) : write(io->fd, p + off, n);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				continue;
			return io_error(io, errno, off, len);
		}
		off += (size_t)w;
		last = kclock_mono_ms();
	}
	return PRINTER_OK;
}

/* Waits until the peer has taken every byte (sockets: acknowledged; FIFOs: read). */
static enum printer_status wait_drained(struct io *io, size_t len)
{
	int prev = -1;
	int64_t last = kclock_mono_ms();

	if (!io->is_sock && !io->is_fifo)
		return PRINTER_OK;
	for (;;) {
		int q = 0;
		if (ioctl(io->fd, io->is_sock ? SIOCOUTQ : FIONREAD, &q) < 0)
			return PRINTER_OK; /* cannot tell: the kernel has it */
		if (q <= 0)
			return PRINTER_OK;
		int64_t now = kclock_mono_ms();
		if (prev < 0 || q < prev) {
			prev = q;
			last = now;
		}
		if (now >= io->deadline || now - last >= io->o->io_ms)
			return detail(io, PRINTER_STALLED, "the printer stopped taking data: %d of %zu bytes not "
				      "taken after %d ms", q, len, (int)(now - last));
		struct pollfd pf = {io->fd, (short)(io->bidir ? POLLIN : 0), 0};
		int r = poll(&pf, 1, DRAIN_POLL_MS);
		if (r > 0 && (pf.revents & POLLIN) && drain_input(io) < 0)
			return detail(io, PRINTER_WRITE_ERROR, "the printer closed the connection before "
				      "taking %d of %zu bytes", q, len);
		if (r > 0 && (pf.revents & POLLERR))
			return sock_error(io, len - (size_t)q, len);
	}
}

static enum printer_status open_path(struct io *io, const struct printer_target *t, size_t len)
{
	struct stat st;
	int fl = O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

	if (t->kind == PRINTER_FILE) {
		/* A check (len 0) must not empty a file holding the last ticket. */
		io->fd = open(t->path, O_WRONLY | O_CREAT | (len ? O_TRUNC : 0) | fl, 0644);
	} else {
		io->fd = open(t->path, O_RDWR | fl);
		if (io->fd < 0 && (errno == EACCES || errno == EROFS))
			io->fd = open(t->path, O_WRONLY | fl); /* write-only node: no status */
	}
	if (io->fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENODEV || e == ENXIO)
			return detail(io, PRINTER_ABSENT, "%s", e == ENXIO && t->kind == PRINTER_FILE
							      ? "nobody reads the FIFO" : strerror(e));
		if (e == EBUSY)
			return detail(io, PRINTER_WRITE_ERROR, "in use by another program");
		if (e == EACCES && t->kind == PRINTER_USB)
			return detail(io, PRINTER_WRITE_ERROR, "permission denied (is the kiosk user in group lp?)");
		return detail(io, PRINTER_WRITE_ERROR, "%s", strerror(e));
	}
	if (fstat(io->fd, &st) == 0) {
		io->is_fifo = S_ISFIFO(st.st_mode);
		io->is_lp = t->kind == PRINTER_USB && S_ISCHR(st.st_mode);
		io->bidir = io->is_lp && (fcntl(io->fd, F_GETFL) & O_ACCMODE) == O_RDWR;
	}
	return PRINTER_OK;
}

static enum printer_status open_tcp(struct io *io, const struct printer_target *t)
{
	struct addrinfo hints = {0}, *res = NULL;
	int64_t end = kclock_mono_ms() + left_ms(io, io->o->connect_ms);
	enum printer_status st = PRINTER_ABSENT;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
	/* An address needs no resolver; only a name waits on DNS (resolv.conf bounds it). */
	int gr = getaddrinfo(t->host, t->port, &hints, &res);
	if (gr == EAI_NONAME) {
		hints.ai_flags = AI_NUMERICSERV;
		gr = getaddrinfo(t->host, t->port, &hints, &res);
	}
	if (gr)
		return detail(io, PRINTER_ABSENT, "cannot resolve %s: %s", t->host, gai_strerror(gr));
	snprintf(io->det, sizeof io->det, "no address");
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			detail(io, PRINTER_ABSENT, "socket: %s", strerror(errno));
			continue;
		}
		int e = 0;
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
			e = errno;
			if (e == EINPROGRESS) {
				struct pollfd pf = {fd, POLLOUT, 0};
				int w = (int)(end - kclock_mono_ms()), r;
				do
					r = poll(&pf, 1, w < 0 ? 0 : w);
				while (r < 0 && errno == EINTR);
				socklen_t sl = sizeof e;
				if (r == 0)
					e = ETIMEDOUT;
				else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
					e = errno;
			}
		}
		if (e == 0) {
			io->fd = fd;
			io->is_sock = 1;
			io->bidir = 1;
			st = PRINTER_OK;
			break;
		}
		close(fd);
		if (e == ETIMEDOUT)
			detail(io, PRINTER_ABSENT, "no answer to connect within %d ms", io->o->connect_ms);
		else
			detail(io, PRINTER_ABSENT, "connect: %s", strerror(e));
		if (kclock_mono_ms() >= end)
			break;
	}
	freeaddrinfo(res);
	return st;
}

static enum printer_status run_job(struct io *io, const struct printer_target *t, const uint8_t *data,
				   size_t len)
{
	enum printer_status st;

	switch (t->kind) {
	case PRINTER_NONE:
		return detail(io, PRINTER_ABSENT, "no printer configured");
	case PRINTER_TCP:
		st = open_tcp(io, t);
		break;
	case PRINTER_USB:
	case PRINTER_FILE:
	default:
		st = open_path(io, t, len);
		break;
	}
	if (st)
		return st;
	st = check_paper(io, "before");
	if (st || len == 0)
		return st;
	st = write_job(io, data, len);
	if (!st)
		st = wait_drained(io, len);
	if (!st)
		st = check_paper(io, "after");
	if (!st)
		detail(io, PRINTER_OK, "%zu bytes sent", len);
	return st;
}

kst printer_send(const struct printer_target *t, const struct printer_opts *opts, const void *data,
		 size_t len, enum printer_status *stp, struct kerr *err)
{
	struct printer_opts o;
	struct io io;
	sigset_t pipe_set, old, pend;
	enum printer_status st;

	if (opts)
		o = *opts;
	else
		printer_opts_default(&o);
	if (!o.lang)
		o.lang = "en";
	memset(&io, 0, sizeof io);
	io.fd = -1;
	io.o = &o;
	io.deadline = kclock_mono_ms() + (o.job_ms > 0 ? o.job_ms : 1);
	if (len > PRINTER_JOB_MAX || (len && !data)) {
		st = detail(&io, PRINTER_WRITE_ERROR, "job of %zu bytes, at most %u", len, PRINTER_JOB_MAX);
		goto out;
	}
	/* A FIFO whose reader left raises SIGPIPE, which would kill the kiosk:
	 * block it here and swallow the one this job caused. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pend);
	int was_pending = sigismember(&pend, SIGPIPE);
	st = run_job(&io, t, data, len);
	if (io.fd >= 0)
		close(io.fd);
	if (!was_pending) {
		struct timespec zero = {0, 0};
		while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
	if (stp)
		*stp = st;
	kst rc = printer_status_kst(st);
	if (rc)
		kerr_set(err, rc, "%s (%s: %s)", printer_status_text(st, o.lang), t->spec, io.det);
	else
		kerr_set(err, K_OK, "%s: %s", t->spec, io.det);
	return rc;
}

/* --- the worker --------------------------------------------------------------- */

struct job {
	uint8_t *data;
	size_t len;
	uint64_t id;
};

struct printer {
	struct printer_target t;
	struct printer_opts o;
	char lang[4];
	printer_done_fn fn;
	void *ctx;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t work;   /* a job arrived or stop */
	pthread_cond_t idle;   /* a job finished */
	struct job q[PRINTER_QUEUE_MAX];
	int head, count;       /* ring of queued jobs */
	int stop;
	uint64_t next_id;
	struct printer_report rep;
};

static void *worker(void *arg)
{
	struct printer *p = arg;
	struct kerr err;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		int probe = 0;
		while (!p->stop && p->count == 0) {
			if (p->o.probe_ms > 0) {
				struct timespec ts;
				kclock_mono_deadline(&ts, p->o.probe_ms);
				if (pthread_cond_timedwait(&p->work, &p->mu, &ts) == ETIMEDOUT &&
				    !p->stop && p->count == 0) {
					probe = 1;
					break;
				}
			} else {
				pthread_cond_wait(&p->work, &p->mu);
			}
		}
		if (p->stop)
			break;
		struct job j = {0};
		if (!probe) {
			j = p->q[p->head];
			p->head = (p->head + 1) % PRINTER_QUEUE_MAX;
			p->count--;
			p->rep.queued = p->count;
		}
		p->rep.busy = 1;
		pthread_mutex_unlock(&p->mu);

		enum printer_status st;
		memset(&err, 0, sizeof err);
		printer_send(&p->t, &p->o, j.data, j.len, &st, &err);
		free(j.data);

		pthread_mutex_lock(&p->mu);
		p->rep.status = st;
		snprintf(p->rep.msg, sizeof p->rep.msg, "%s",
			 st == PRINTER_OK ? printer_status_text(st, p->o.lang) : err.msg);
		if (!probe) {
			if (st == PRINTER_OK)
				p->rep.printed++;
			else
				p->rep.failed++;
		}
		if (!probe && p->fn) {
			pthread_mutex_unlock(&p->mu);
			p->fn(p->ctx, j.id, st, err.msg);
			pthread_mutex_lock(&p->mu);
		}
		/* Idle only after the callback, so a waiter sees its effects. */
		p->rep.busy = 0;
		pthread_cond_broadcast(&p->idle);
	}
	/* Stopping: what is still queued will not be printed. */
	while (p->count) {
		free(p->q[p->head].data);
		p->head = (p->head + 1) % PRINTER_QUEUE_MAX;
		p->count--;
		p->rep.dropped++;
	}
	p->rep.queued = 0;
	pthread_cond_broadcast(&p->idle);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

kst printer_start(struct printer **pp, const struct printer_target *t, const struct printer_opts *o,
		  printer_done_fn fn, void *ctx, struct kerr *err)
{
	struct printer *p = calloc(1, sizeof *p);
	pthread_condattr_t ca;
	sigset_t all, old;

	*pp = NULL;
	if (!p)
		return kerr_set(err, K_EFAIL, "printer: out of memory");
	p->t = *t;
	if (o)
		p->o = *o;
	else
		printer_opts_default(&p->o);
	snprintf(p->lang, sizeof p->lang, "%s", p->o.lang && !strcmp(p->o.lang, "th") ? "th" : "en");
	p->o.lang = p->lang;
	p->fn = fn;
	p->ctx = ctx;
	p->rep.status = PRINTER_UNKNOWN;
	snprintf(p->rep.msg, sizeof p->rep.msg, "%s", printer_status_text(PRINTER_UNKNOWN, p->lang));
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->work, &ca);
	pthread_cond_init(&p->idle, &ca);
	pthread_condattr_destroy(&ca);
	/* Signals are for the main thread (SDL, shutdown), never the printer's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&p->th, NULL, worker, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->idle);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return kerr_set(err, K_EFAIL, "printer: cannot start worker: %s", strerror(e));
	}
	*pp = p;
	return K_OK;
}

kst printer_submit(struct printer *p, const void *data, size_t len, uint64_t *job, struct kerr *err)
{
	if (!data || len == 0 || len > PRINTER_JOB_MAX)
		return kerr_set(err, K_EUSAGE, "print job of %zu bytes: must be 1..%u", len,
				PRINTER_JOB_MAX);
	uint8_t *copy = malloc(len);
	if (!copy)
		return kerr_set(err, K_EFAIL, "printer: out of memory for a %zu-byte job", len);
	memcpy(copy, data, len);
	pthread_mutex_lock(&p->mu);
	if (p->stop || p->count >= PRINTER_QUEUE_MAX) {
		p->rep.dropped++;
		pthread_mutex_unlock(&p->mu);
		free(copy);
		return kerr_set(err, K_EFAIL, "%s (%s: %d jobs already waiting)",
				printer_status_text(PRINTER_STALLED, p->lang), p->t.spec, PRINTER_QUEUE_MAX);
	}
	struct job *j = &p->q[(p->head + p->count) % PRINTER_QUEUE_MAX];
	j->data = copy;
	j->len = len;
	j->id = ++p->next_id;
	if (job)
		*job = j->id;
	p->count++;
	p->rep.submitted++;
	p->rep.queued = p->count;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return K_OK;
}

void printer_report(struct printer *p, struct printer_report *r)
{
	pthread_mutex_lock(&p->mu);
	*r = p->rep;
	pthread_mutex_unlock(&p->mu);
}

int printer_wait_idle(struct printer *p, int timeout_ms)
{
	struct timespec ts;
	int rc = 0;
	kclock_mono_deadline(&ts, timeout_ms);
	pthread_mutex_lock(&p->mu);
	while ((p->count || p->rep.busy) && !p->stop)
		if (pthread_cond_timedwait(&p->idle, &p->mu, &ts) == ETIMEDOUT) {
			rc = -1;
			break;
		}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void printer_stop(struct printer *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
