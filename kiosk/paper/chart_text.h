/**
 * @file chart_text.h
 * @brief Thai labels for the report charts (dev/chart.h) through the Thai text
 * engine (ui/text.h): the chart layer knows no SDL, so the engine is plugged in
 * here, from the UI layer, through chart_text_hook.
 */
#ifndef KIOSK_CHART_TEXT_H
#define KIOSK_CHART_TEXT_H

#include "core/err.h"

/* Starts the text engine and points chart_text_hook at it. K_OK when charts
 * will have Thai labels; otherwise they keep their ASCII labels (err says why). */
kst chart_text_enable(struct kerr *err);
void chart_text_disable(void);

#endif
