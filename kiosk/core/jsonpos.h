/**
 * @file jsonpos.h
 * @brief Finds the source line of a value in JSON text by its path.
 *
 * jansson reports lines only for syntax errors; validation errors ("copies must be
 * a whole number") must name a line too, so we walk the (already valid) text
 * again along the path. Paths look like "services[3].documents[1].copies".
 */
#ifndef KIOSK_JSONPOS_H
#define KIOSK_JSONPOS_H

#include <stddef.h>

/* Line (1-based) where the value at path starts; for a missing member the line
 * of the enclosing object; 1 when nothing can be found. */
int jsonpos_line(const char *text, size_t len, const char *path);

#endif
