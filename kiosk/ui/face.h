/**
 * @file face.h
 * @brief Satisfaction faces drawn with plain geometry (filled circles and thick
 * arcs): emoji are not in Sarabun and colour-emoji fonts are not on the
 * appliance, so the five levels are drawn, the same on every machine.
 *
 * Level 5 (มากที่สุด) is a wide green smile, 3 a straight amber mouth, 1 a red
 * frown; the colours follow the scale, the mouth carries the meaning for
 * visitors who cannot tell red from green.
 */
#ifndef KIOSK_FACE_H
#define KIOSK_FACE_H

#include "ui/widgets.h"

/* A filled disc (follows the scroll view like every widget). */
void ui_disc(struct ui_app *a, int cx, int cy, int r, SDL_Color c);
/* The face of level 1..5 centred at cx,cy with radius r. */
void ui_face(struct ui_app *a, int cx, int cy, int r, int level);
/* The face colour of a level (legends, borders). */
SDL_Color ui_face_color(int level);

#endif
