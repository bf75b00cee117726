/**
 * @file screens.h
 * @brief Every screen of the kiosk, one per kiosk/ui/screens/scr_<name>.c. Add a
 * screen: write the file, declare its ops here, add one line to the table in screens.c.
 */
#ifndef KIOSK_SCREENS_H
#define KIOSK_SCREENS_H

#include "net/feed.h"
#include "ui/app.h"

extern const struct ui_screen_ops scr_attract;
extern const struct ui_screen_ops scr_gallery;
extern const struct ui_screen_ops scr_services;
extern const struct ui_screen_ops scr_checklist;
extern const struct ui_screen_ops scr_ticket;
extern const struct ui_screen_ops scr_display;
extern const struct ui_screen_ops scr_rating;
extern const struct ui_screen_ops scr_thanks;
extern const struct ui_screen_ops scr_admin;

/* Every screen (NULL-terminated): what the commands give the app (ui_opts.screens). */
extern const struct ui_screen_ops *const ui_screens[];
/* The screen of this name in ui_screens; NULL when unknown. */
const struct ui_screen_ops *ui_screen_find(const char *name);
/* Names of all screens (NULL-terminated), for usage messages. */
const char *const *ui_screen_names(void);

/* Appended to a service id in the ticket screen's argument: a priority ticket
 * ("personal-cert+priority"). */
#define UI_TICKET_PRIORITY "+priority"

/* The display board's settings that are not in the configuration; set before
 * the screen is entered. Its argument is the remote source URL (NULL: local). */
struct scr_display_opts {
	const char *data_dir;  /* the local database's folder */
	const char *voice_dir; /* recorded clips first (NULL: the defaults) */
	int mute;              /* no sound at all */
	int no_feed;           /* render what is there now, follow nothing (shot) */
	int trace;             /* print "frame/announce/state" lines on stdout (tests, bench) */
	/* The board's source (net/feed.h: feed_start_local, feed_start_remote, feed_stop),
	 * handed in by `kiosk display`, so that a screen shot links no HTTP client. NULL:
	 * the board shows what is there when it starts and follows nothing. */
	kst (*feed_local)(const struct kconfig *cfg, const char *data_dir, feed_cb cb, void *ctx,
			  struct feed **out, struct kerr *err);
	kst (*feed_remote)(const char *url, feed_cb cb, void *ctx, struct feed **out,
			   struct kerr *err);
	void (*feed_stop)(struct feed *f);
};
void scr_display_config(const struct scr_display_opts *o);

/* The office name when the app runs without a configuration (unit tests). */
#define UI_OFFICE_TH "สำนักงานเขตบางแค"
#define UI_OFFICE_EN "Bang Khae District Office"

#endif
