/**
 * @file screens.h
 * @brief Every screen of the kiosk, one per kiosk/ui/scr_<name>.c. Add a screen:
 * write the file, declare its ops here, add one line to the table in screens.c.
 */
#ifndef KIOSK_SCREENS_H
#define KIOSK_SCREENS_H

#include "ui/app.h"

extern const struct ui_screen_ops scr_attract;
extern const struct ui_screen_ops scr_gallery;
extern const struct ui_screen_ops scr_services;
extern const struct ui_screen_ops scr_checklist;
extern const struct ui_screen_ops scr_ticket;

/* Appended to a service id in the ticket screen's argument: a priority ticket
 * ("personal-cert+priority"). */
#define UI_TICKET_PRIORITY "+priority"

/* The office name when the app runs without a configuration (unit tests). */
#define UI_OFFICE_TH "สำนักงานเขตบางแค"
#define UI_OFFICE_EN "Bang Khae District Office"

#endif
