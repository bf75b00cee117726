/**
 * @file svc.h
 * @brief Talking to the service manager: readiness and the watchdog (sd_notify).
 *
 * Outside systemd (development, tests) every call is a cheap no-op, so the UI
 * loop can call svc_watchdog() every frame without caring where it runs.
 */
#ifndef KIOSK_SVC_H
#define KIOSK_SVC_H

#include <stdint.h>

/* Tells systemd the kiosk is up (after the first frame is on screen). */
void svc_ready(void);
/* Pets the watchdog when at least half its interval has passed since the last
 * time; now_ms is any monotonic millisecond clock. */
void svc_watchdog(uint64_t now_ms);
/* The watchdog interval in ms, 0 when there is none: the UI loop must wake at
 * least this often / 2 even when idle. */
uint64_t svc_watchdog_ms(void);
void svc_stopping(void);

#endif
