/**
 * @file printer.h
 * @brief Sending ticket byte streams to the thermal printer, never blocking the
 * kiosk on it.
 *
 * Targets (config string):
 *   usb:/dev/usb/lp0   USB printer class device (kernel usblp)
 *   tcp:HOST:PORT      raw TCP ("JetDirect", port 9100); IPv6 as tcp:[::1]:9100
 *   file:/path/out.bin a file (holds the last job), FIFO or other device node
 *   none               no printer: every job reports "absent"
 *
 * Every wait is bounded: the device is opened non-blocking and written with
 * poll(); TCP connect has its own timeout; a device that takes no byte for
 * io_ms is "stalled"; a job never runs past job_ms. Before and after a job a
 * bidirectional device (TCP, USB) is asked DLE EOT 4 (paper sensor) and given
 * status_ms to answer; silence is not an error (many printers never answer).
 * On USB the kernel's LPGETSTATUS paper-empty bit is read as well. On TCP and
 * FIFOs the job counts as delivered only when the peer has taken every byte
 * (SIOCOUTQ / FIONREAD reach 0), so a printer that stops reading is "stalled"
 * even when the whole job fitted in our side's buffers. Bytes the printer's
 * own TCP stack acknowledged are in its buffer: that is delivery, as far as a
 * raw port can tell.
 *
 * printer_send() does one job synchronously (the CLI: `kiosk ticket --print`);
 * printer_start() runs a worker thread with a bounded queue for the kiosk: a
 * failed job is reported (status, message for staff) and dropped, nothing else
 * is affected. Jobs are not retried: a ticket printed minutes late would be
 * worse than none, the kiosk shows the number on screen instead.
 *
 * Status -> exit code (CLI contract): ok 0; absent and stalled (timed out) 3;
 * paper out and write error 4.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define PRINTER_SPEC_MAX 256          /* a target string */
#define PRINTER_HOST_MAX 253          /* DNS name limit */
#define PRINTER_JOB_MAX (4u << 20)    /* bytes per job; a 576-dot ticket is ~100 KB */
#define PRINTER_QUEUE_MAX 8           /* jobs waiting in the worker's queue */
#define PRINTER_CHUNK 16384           /* bytes per write(): small printers take little */

enum printer_kind {
	PRINTER_NONE,
	PRINTER_USB,
	PRINTER_TCP,
	PRINTER_FILE,
};

struct printer_target {
	enum printer_kind kind;
	char spec[PRINTER_SPEC_MAX + 1]; /* as configured, for messages */
	char path[PRINTER_SPEC_MAX + 1]; /* usb, file: the device or file */
	char host[PRINTER_HOST_MAX + 1]; /* tcp: name or address, without brackets */
	char port[6];                    /* tcp: 1..65535 */
};

enum printer_status {
	PRINTER_OK = 0,      /* job delivered / device answered */
	PRINTER_ABSENT,      /* none configured, no device, connection refused or timed out */
	PRINTER_PAPER_OUT,   /* the printer says its paper roll is empty */
	PRINTER_WRITE_ERROR, /* the device failed or closed the connection mid-job */
	PRINTER_STALLED,     /* the device stopped taking data (timeout) */
	PRINTER_UNKNOWN,     /* worker only: nothing tried yet */
};

struct printer_opts {
	int connect_ms;   /* TCP connect timeout (default 2000) */
	int io_ms;        /* longest wait for the device to take more bytes (default 5000) */
	int job_ms;       /* longest time for a whole job (default 30000) */
	int status_ms;    /* wait for a DLE EOT answer; 0 = do not ask (default 300) */
	int probe_ms;     /* worker: check an idle printer this often; 0 = never (default 0) */
	const char *lang; /* "th" or "en" for messages (default "en") */
};

void printer_opts_default(struct printer_opts *o);
/* K_EUSAGE with the reason when spec is not one of the forms above. */
kst printer_parse(const char *spec, struct printer_target *t, struct kerr *err);

/* Sends one job and waits (bounded) for it to be delivered. len 0 only checks
 * the device (open/connect, status query) without truncating a file target.
 * Returns printer_status_kst(*st); err says what happened, in o->lang. */
kst printer_send(const struct printer_target *t, const struct printer_opts *o, const void *data,
		 size_t len, enum printer_status *st, struct kerr *err);

kst printer_status_kst(enum printer_status st);
/* "ok", "absent", "paper_out", "write_error", "stalled", "unknown" (JSON, logs). */
const char *printer_status_name(enum printer_status st);
/* One line for staff, Thai ("th") or English. */
const char *printer_status_text(enum printer_status st, const char *lang);

/* --- the worker ----------------------------------------------------------- */
struct printer;

/* Called on the worker thread after each job (keep it short, do not block). */
typedef void (*printer_done_fn)(void *ctx, uint64_t job, enum printer_status st,
				const char *msg);

/* What staff see. */
struct printer_report {
	enum printer_status status; /* of the last job or probe */
	char msg[KERR_MSG_MAX];     /* its message, in opts.lang */
	uint64_t submitted;         /* jobs accepted by printer_submit */
	uint64_t printed;           /* delivered */
	uint64_t failed;            /* tried and failed */
	uint64_t dropped;           /* refused (queue full) or discarded at stop */
	int queued;                 /* waiting now */
	int busy;                   /* a job is being sent */
};

/* Starts the worker (copies t and o). fn may be NULL. */
kst printer_start(struct printer **pp, const struct printer_target *t, const struct printer_opts *o,
		  printer_done_fn fn, void *ctx, struct kerr *err);
/* Queues a copy of data. K_EUSAGE when empty or over PRINTER_JOB_MAX, K_EFAIL when
 * the queue is full (the printer is stuck: the caller shows the number on screen). */
kst printer_submit(struct printer *p, const void *data, size_t len, uint64_t *job,
		   struct kerr *err);
void printer_report(struct printer *p, struct printer_report *r);
/* Waits until the queue is empty and no job runs; 0, or -1 after timeout_ms. */
int printer_wait_idle(struct printer *p, int timeout_ms);
/* Stops the worker: queued jobs are dropped, a running job ends within its
 * bounds (job_ms). NULL is fine. */
void printer_stop(struct printer *p);

#endif
