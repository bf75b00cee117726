/**
 * @file ticketing.h
 * @brief What the touchscreen needs to give a citizen a ticket: the store and
 * queue (opened once at start-up), issuing through kticket_issue (the same path as
 * `kiosk ticket`), and the printer worker so the screen never waits for paper.
 *
 * Threads: issuing runs on the UI thread (one SQLite transaction, a few ms).
 * Printing is rendered on the UI thread (tens of ms at most) and sent by the
 * printer worker (dev/printer.h); when a job ends the worker records the outcome,
 * posts TICKETING_EV_PRINTED to the app (UI_EV_USER) and, when the printer's state
 * turns to a fault (absent, paper out, stalled, write error), records one notice
 * for staff through its own database connection (once per change of state, so a
 * printer out of paper all afternoon gives one notice, not one per citizen).
 *
 * `kiosk shot` has no store: ticketing_open_scratch() issues into a temporary data
 * folder removed at close, so a screenshot never takes a real number, and never
 * prints.
 */
#ifndef KIOSK_TICKETING_H
#define KIOSK_TICKETING_H

#include <stdint.h>

#include "core/config.h"
#include "core/err.h"
#include "core/ticket.h"
#include "dev/printer.h"

struct ui_app;
struct ticketing;

/* UI_EV_USER code posted when a print job ended (data: NULL). */
#define TICKETING_EV_PRINTED 0x7401

/* Printer timing from the configuration: [printer] timeout_ms bounds the connect
 * and every wait for the printer to take bytes; the language of messages. */
void ticketing_printer_opts(const struct kconfig *cfg, struct printer_opts *o);

/* Opens the store in data_dir (created if needed) and checks the printer setting.
 * K_EUSAGE for a bad printer target, K_EFAIL when the store cannot be opened. */
kst ticketing_open(const struct kconfig *cfg, const char *data_dir, struct ticketing **out,
		   struct kerr *err);
/* A throw-away store in a new temporary folder (screenshots, demos). */
kst ticketing_open_scratch(const struct kconfig *cfg, struct ticketing **out, struct kerr *err);
/* Starts the printer worker, posting results to a (no-op for `none` and scratch). */
kst ticketing_start_printer(struct ticketing *t, struct ui_app *a, struct kerr *err);
/* Stops the worker (a running job ends within its bounds); before freeing the app. */
void ticketing_stop_printer(struct ticketing *t);
/* Stops the printer, closes the store, removes a scratch folder. NULL is fine. */
void ticketing_close(struct ticketing *t);

kst ticketing_issue(struct ticketing *t, const char *service, int priority,
		    struct kticket_out *out, struct kerr *err);
/* The study's KPI (core/kpi.h): a checklist opened in this visit; the visit ended
 * (the services screen left: Done, Home, Back, idle, card pulled). NULL t is fine. */
void ticketing_visit_lookup(struct ticketing *t, const char *service);
void ticketing_visit_end(struct ticketing *t);

enum ticketing_paper {
	TKP_NO_PRINTER, /* target none: the number on screen is the ticket */
	TKP_SAMPLE,     /* scratch store: nothing is printed */
	TKP_PRINTING,   /* queued or being sent */
	TKP_PRINTED,    /* delivered */
	TKP_FAILED,     /* absent, paper out, stalled, write error, or refused */
};

/* Renders the ticket and queues it for the printer. Returns what to show now
 * (TKP_PRINTING with *job set, or TKP_NO_PRINTER / TKP_SAMPLE / TKP_FAILED, with
 * the reason in err for a failure). Never waits for the printer. */
enum ticketing_paper ticketing_print(struct ticketing *t, const struct kticket_out *out,
				     uint64_t *job, struct kerr *err);
/* Where job is now: TKP_PRINTING, TKP_PRINTED or TKP_FAILED (*st and msg say why). */
enum ticketing_paper ticketing_job(struct ticketing *t, uint64_t job, enum printer_status *st,
				   char msg[KERR_MSG_MAX]);

const struct kconfig *ticketing_config(const struct ticketing *t);

/* The UI thread's store and queue (ratings, the admin screen's figures). */
struct kqueue *ticketing_queue(struct ticketing *t);
const char *ticketing_data_dir(const struct ticketing *t);
/* 1 for a scratch desk (kiosk shot): nothing it holds is real. */
int ticketing_is_scratch(const struct ticketing *t);

/* The printer as staff see it on the admin screen. */
struct ticketing_printer {
	int configured;               /* 0: [printer] target = none */
	char spec[PRINTER_SPEC_MAX + 1]; /* the target as configured */
	struct printer_report rep;    /* the worker's figures (status PRINTER_UNKNOWN: none yet) */
};
void ticketing_printer_status(struct ticketing *t, struct ticketing_printer *out);

#endif
