/**
 * @file ticketing.c
 * @brief The kiosk's ticket desk: store + queue, issuing, rendering and the
 * printer worker, with staff notices on printer faults.
 */
#include "ui/ticketing.h"

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kpi.h"
#include "core/store.h"
#include "ui/app.h"
#include "ui/ticket_render.h"

/* The scratch store of a screenshot goes under $TMPDIR (default /tmp), like every
 * temporary file: a test or a second user gets a private folder by setting it. */
#define SCRATCH_NAME "kiosk-scratch-XXXXXX"
#define SCRATCH_DEFAULT_DIR "/tmp"
#define NOTICE_MAX 512 /* one staff notice line */

struct ticketing {
	const struct kconfig *cfg;
	char data_dir[KSTORE_PATH_MAX];
	int scratch;                 /* data_dir is ours: removed at close */
	struct kstore st;            /* the UI thread's connection */
	int st_open;
	struct kqueue q;
	struct kstore nst;           /* the printer worker's connection (notices) */
	int nst_open;
	struct printer_target pt;
	struct printer *pr;
	struct ui_app *app;

	pthread_mutex_t mu;          /* guards what follows (worker and UI thread) */
	uint64_t done_job;           /* last job the worker finished (jobs end in order) */
	enum printer_status done_st;
	char done_msg[KERR_MSG_MAX];
	enum printer_status noticed; /* state staff were last told about */
	struct kpi_visit visit;      /* the current visit's KPI flags (core/kpi.h) */
};

void ticketing_printer_opts(const struct kconfig *cfg, struct printer_opts *o)
{
	printer_opts_default(o);
	if (cfg) {
		o->connect_ms = cfg->printer_timeout_ms;
		o->io_ms = cfg->printer_timeout_ms;
		o->lang = cfg->language;
	}
}

const struct kconfig *ticketing_config(const struct ticketing *t)
{
	return t->cfg;
}

struct kqueue *ticketing_queue(struct ticketing *t)
{
	return &t->q;
}

const char *ticketing_data_dir(const struct ticketing *t)
{
	return t->data_dir;
}

int ticketing_is_scratch(const struct ticketing *t)
{
	return t->scratch;
}

void ticketing_printer_status(struct ticketing *t, struct ticketing_printer *out)
{
	memset(out, 0, sizeof *out);
	out->configured = t->pt.kind != PRINTER_NONE;
	snprintf(out->spec, sizeof out->spec, "%s", t->pt.spec);
	out->rep.status = PRINTER_UNKNOWN;
	if (t->pr)
		printer_report(t->pr, &out->rep);
	else if (out->configured)
		out->rep.status = PRINTER_ABSENT;
}

static kst open_in(const struct kconfig *cfg, const char *dir, int scratch,
		   struct ticketing **out, struct kerr *err)
{
	struct ticketing *t = calloc(1, sizeof *t);
	kst rc;

	*out = NULL;
	if (!t)
		return kerr_set(err, K_EFAIL, "out of memory");
	t->cfg = cfg;
	t->scratch = scratch;
	t->noticed = PRINTER_OK;
	pthread_mutex_init(&t->mu, NULL);
	snprintf(t->data_dir, sizeof t->data_dir, "%s", dir);
	if ((rc = printer_parse(cfg->printer, &t->pt, err)))
		goto fail;
	if ((rc = kstore_open(t->data_dir, &t->st, err)))
		goto fail;
	t->st_open = 1;
	t->q.st = &t->st;
	t->q.cfg = cfg;
	*out = t;
	return K_OK;
fail:
	ticketing_close(t);
	return rc;
}

kst ticketing_open(const struct kconfig *cfg, const char *data_dir, struct ticketing **out,
		   struct kerr *err)
{
	return open_in(cfg, data_dir, 0, out, err);
}

kst ticketing_open_scratch(const struct kconfig *cfg, struct ticketing **out, struct kerr *err)
{
	char dir[KSTORE_PATH_MAX];
	const char *base = getenv("TMPDIR");
	if (!base || base[0] != '/')
		base = SCRATCH_DEFAULT_DIR;
	int n = snprintf(dir, sizeof dir, "%s/%s", base, SCRATCH_NAME);
	*out = NULL;
	if (n < 0 || (size_t)n >= sizeof dir)
		return kerr_set(err, K_EFAIL, "scratch folder: TMPDIR %.64s... is too long", base);
	if (!mkdtemp(dir))
		return kerr_set(err, K_EFAIL, "scratch folder %s: %s", dir, strerror(errno));
	return open_in(cfg, dir, 1, out, err);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* Staff learn of a fault once per change of state. */
static void notice_change(struct ticketing *t, struct kstore *st, enum printer_status s)
{
	char th[NOTICE_MAX], en[NOTICE_MAX];
	pthread_mutex_lock(&t->mu);
	int tell = s != PRINTER_OK && s != t->noticed;
	t->noticed = s;
	pthread_mutex_unlock(&t->mu);
	if (!tell)
		return;
	snprintf(th, sizeof th, "เครื่องพิมพ์บัตรคิว: %s (%s)", printer_status_text(s, "th"),
		 t->pt.spec);
	snprintf(en, sizeof en, "Ticket printer: %s (%s)", printer_status_text(s, "en"), t->pt.spec);
	kstore_notice(st, "warning", th, en);
}

/* Worker thread. */
static void on_done(void *ctx, uint64_t job, enum printer_status s, const char *msg)
{
	struct ticketing *t = ctx;
	pthread_mutex_lock(&t->mu);
	t->done_job = job;
	t->done_st = s;
	snprintf(t->done_msg, sizeof t->done_msg, "%s",
		 s == PRINTER_OK ? printer_status_text(s, t->cfg->language) : msg);
	pthread_mutex_unlock(&t->mu);
	if (t->nst_open)
		notice_change(t, &t->nst, s);
	if (t->app)
		ui_app_post(t->app, TICKETING_EV_PRINTED, NULL);
}

kst ticketing_start_printer(struct ticketing *t, struct ui_app *a, struct kerr *err)
{
	struct printer_opts o;
	kst rc;
	if (!t || t->scratch || t->pt.kind == PRINTER_NONE || t->pr)
		return K_OK;
	if ((rc = kstore_open(t->data_dir, &t->nst, err)))
		return rc;
	t->nst_open = 1;
	t->app = a;
	ticketing_printer_opts(t->cfg, &o);
	return printer_start(&t->pr, &t->pt, &o, on_done, t, err);
}

void ticketing_stop_printer(struct ticketing *t)
{
	if (!t)
		return;
	printer_stop(t->pr);
	t->pr = NULL;
	t->app = NULL;
}

void ticketing_close(struct ticketing *t)
{
	if (!t)
		return;
	ticketing_stop_printer(t);
	if (t->nst_open)
		kstore_close(&t->nst);
	if (t->st_open)
		kstore_close(&t->st);
	if (t->scratch)
		nftw(t->data_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

kst ticketing_issue(struct ticketing *t, const char *service, int priority,
		    struct kticket_out *out, struct kerr *err)
{
	kst rc = kticket_issue(&t->q, t->data_dir, service, priority, out, err);
	if (!rc)
		kpi_visit_ticket(&t->visit);
	return rc;
}

/* Counting is best effort: a busy database must never stand between a citizen and
 * the checklist, and a scratch desk's visits are not real ones. */
void ticketing_visit_lookup(struct ticketing *t, const char *service)
{
	if (t && !t->scratch && t->st_open)
		kpi_visit_lookup(&t->visit, &t->st, service, NULL);
}

void ticketing_visit_end(struct ticketing *t)
{
	if (t && !t->scratch && t->st_open)
		kpi_visit_end(&t->visit, &t->st, NULL);
}

enum ticketing_paper ticketing_print(struct ticketing *t, const struct kticket_out *out,
				     uint64_t *job, struct kerr *err)
{
	struct ticket_info ti = {t->cfg, kcatalog_find(&t->cfg->catalog, out->is.t.service),
				 &out->is, out->qr};
	struct bitmap bm;
	uint8_t *buf = NULL;
	size_t len = 0;
	enum ticketing_paper r = TKP_FAILED;

	*job = 0;
	if (t->pt.kind == PRINTER_NONE)
		return TKP_NO_PRINTER;
	if (t->scratch)
		return TKP_SAMPLE;
	if (!t->pr) {
		kerr_set(err, K_EABSENT, "%s", printer_status_text(PRINTER_ABSENT, t->cfg->language));
		return TKP_FAILED;
	}
	if (ticket_render(&ti, t->cfg->paper_dots, &bm, NULL, err))
		return TKP_FAILED;
	if (!ticket_escpos(&bm, t->cfg->paper_dots, &buf, &len, err)) {
		if (!printer_submit(t->pr, buf, len, job, err))
			r = TKP_PRINTING;
		else /* the queue is full: the printer has been stuck for a while */
			notice_change(t, &t->st, PRINTER_STALLED);
	}
	free(buf);
	bitmap_free(&bm);
	return r;
}

enum ticketing_paper ticketing_job(struct ticketing *t, uint64_t job, enum printer_status *st,
				   char msg[KERR_MSG_MAX])
{
	enum ticketing_paper r = TKP_PRINTING;
	pthread_mutex_lock(&t->mu);
	if (t->done_job >= job) {
		/* A later job may have ended since; its outcome stands for the printer. */
		*st = t->done_st;
		snprintf(msg, KERR_MSG_MAX, "%s", t->done_msg);
		r = t->done_st == PRINTER_OK ? TKP_PRINTED : TKP_FAILED;
	}
	pthread_mutex_unlock(&t->mu);
	return r;
}
