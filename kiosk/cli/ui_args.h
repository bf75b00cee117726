/**
 * @file ui_args.h
 * @brief Options shared by the commands that open the UI (run, shot, display):
 * --size WxH --windowed --headless --exit-after SEC --script FILE --lang th|en --large.
 */
#ifndef KIOSK_UI_ARGS_H
#define KIOSK_UI_ARGS_H

#include "cli/cli.h"
#include "ui/app.h"

/* Looks at argv[*i]; consumes it (and its value, advancing *i) when it is a UI option.
 * Returns 1 consumed, 0 not a UI option, -1 bad value (message printed). */
int cli_ui_arg(struct ui_opts *o, int argc, char **argv, int *i);
/* Loads the configuration (exit 2 on problems) and applies its defaults: language
 * unless --lang, idle time unless --idle (idle_given). */
kst cli_ui_config(struct cli *c, struct ui_opts *o, int idle_given);

#endif
