/**
 * @file qjson.h
 * @brief The queue as JSON, one shape for `kiosk queue --json`, the counter
 * API's GET /api/queue and the display board (local or remote), plus the event
 * log the board follows (GET /api/events).
 *
 * Queue object:
 *   {"office": {"code","name_th","name_en"}, "counters": N,
 *    "waiting": [{"service","prefix","name_th","name_en","short_th","short_en","count",
 *                 "priority","cancelled","minutes_each"}],
 *       short_*: the board's name for it (services.json short_name, else the name);
 *       cancelled: today's tickets left from the phone (not in count)
 *    "serving": [{"counter": k, "ticket": <kticket_json> | null}],
 *    "recent_calls": [{"id","kind","number","service","counter","at"}],  newest first
 *    "notices": [{"level","th","en"}], "last_event": id}
 * Events object: {"last_event": id, "events": [{"id","kind","number","service",
 *    "counter","detail","at"}]} oldest first.
 */
#ifndef KIOSK_QJSON_H
#define KIOSK_QJSON_H

#include <stdint.h>

#include "core/queue.h"

#define QJSON_RECENT_MAX 8    /* recent calls listed: the board shows a few */
#define QJSON_EVENTS_MAX 100  /* events per GET /api/events reply */

struct json_t;
/* The whole queue object (new reference), or NULL with err set. */
struct json_t *qjson_status(struct kqueue *q, struct kerr *err);
/* Events with id > after, at most QJSON_EVENTS_MAX, or NULL with err set. */
struct json_t *qjson_events(struct kqueue *q, int64_t after, struct kerr *err);
/* MAX(events.id), 0 for none, -1 on a database error: cheap, for polling. */
int64_t qjson_last_event(struct kqueue *q);

#endif
