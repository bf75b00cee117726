/**
 * @file script.h
 * @brief The --script replayer (the language is described atop script.c): drives a
 * running app the way a visitor would, for tests, demos and training videos.
 */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include "core/err.h"
#include "ui/app.h"

/* Reads the script at path and makes it the app's driver: ui_app_run() then plays it
 * from the start, and the app frees it. K_EUSAGE ("FILE:LINE: reason") for a file
 * that cannot be read or a line that is not a command; nothing is attached then. */
kst ui_script_attach(struct ui_app *a, const char *path, struct kerr *err);

#endif
