/**
 * @file public_pages.h
 * @brief The public pages as HTML, one renderer for every place they are shown: the
 * public listener (net/public.h) and the static site of `kiosk site`. Plain C over the
 * catalogue, the queue view, the report and the open data list; no HTTP here.
 *
 * Every page is Thai first with an English twin (?lang=en on the listener, NAME.en.html
 * in the static site), lang set on <html>, headings and lists for screen readers, no
 * inline script or style (the listener's Content-Security-Policy forbids them): the look
 * is assets/public/public.css, the ticket page's updates assets/public/ticket.js. Links
 * are relative to the page (ctx->root), so the same HTML works on the appliance, behind
 * a reverse proxy under any prefix, and from file://.
 */
#ifndef KIOSK_PUBLIC_PAGES_H
#define KIOSK_PUBLIC_PAGES_H

#include <stdint.h>

#include "core/catalog.h"
#include "core/config.h"
#include "core/queue.h"
#include "core/report.h"
#include "net/html.h"

#define PP_ROOT_MAX 64  /* "../../": the way from a page back to the site root */
#define PP_QUERY_MAX 520 /* a ticket's query (o=&d=&n=&s=), at most a QR payload */

struct pp_ctx {
	const struct kconfig *cfg;
	const char *lang;          /* "th" or "en" */
	char root[PP_ROOT_MAX];    /* "" or "../" ...: relative way to the site root */
	int static_site;           /* links are files: NAME.html, NAME.en.html, DIR/index.html */
	int live;                  /* served by the listener: /stats and the ticket exist */
	int relay;                 /* served by the district collector from a queue snapshot
				    * (collector/relay.h): only the ticket page exists there, so
				    * no site links, and its forms are not relayed */
};

/* A site path ("services/", "services/ID", "open-data/", "stats", "" = home) as a link
 * from the current page in language lang. */
void pp_link(struct hbuf *b, const struct pp_ctx *c, const char *path, const char *lang);

/* Home: what the site offers. */
void pp_home(struct hbuf *b, const struct pp_ctx *c);
/* The catalogue by group, in the kiosk's order (ui/scr_services.c). */
void pp_services(struct hbuf *b, const struct pp_ctx *c);
/* One service's checklist: the texts and order of the kiosk's checklist screen
 * (ui/scr_checklist.c) without a card holder, printable on A4. */
void pp_service(struct hbuf *b, const struct pp_ctx *c, const struct kservice *s);

/* One open data file as the index lists it. */
struct pp_file {
	const char *name, *ctype;
	long size; /* bytes; -1 unknown */
};
void pp_opendata(struct hbuf *b, const struct pp_ctx *c, const struct pp_file *f, int n);
/* The Thai and English description of an open data file, from its name. */
void pp_opendata_desc(const char *name, const char *lang, char *out, size_t cap);

/* /stats: today (waiting now, served, median wait), this month against the target,
 * satisfaction with its band, look-ups, participants, the combined figure, and users
 * per day as an SVG bar chart. */
void pp_stats(struct hbuf *b, const struct pp_ctx *c, const struct kqueue_status *now,
	      const struct report *today, const struct report *month);

/* A kind page for a refusal or a failure: status line for the title, then the two
 * texts, then a way on (home or back to the ticket when back is not NULL). */
void pp_message(struct hbuf *b, const struct pp_ctx *c, const char *title_th, const char *title_en,
		const char *text_th, const char *text_en, const char *back);

/* The ticket on the phone. */
struct pp_ticket {
	struct kticket_view v;     /* v.changed: the event id the long-poll waits past */
	char query[PP_QUERY_MAX];  /* "o=..&d=..&n=..&s=.." (already URL-safe) */
	const char *path;          /* the ticket page's site path: "t" (the QR template's) */
	int can_rate;              /* done and not rated yet */
	int rated;                 /* done and rated */
	int64_t form_ms;           /* monotonic ms the rating form was drawn, for answer time */
	const char *notice_th, *notice_en; /* a line on top ("thank you", a refusal) or NULL */
	const char *banner_th, *banner_en; /* a warning atop the live status ("the office has
					    * not updated since 10:42": the relay) or NULL */
};
/* The whole page. */
void pp_ticket(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t);
/* Its two live parts, as the long-poll sends them: the status (role="status") and the
 * actions (leave the queue, rating form, thanks). */
void pp_ticket_status(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t);
void pp_ticket_actions(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t);
/* The "are you sure?" step before leaving the queue. */
void pp_ticket_leave(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t);

#endif
