#include "dev/svc.h"

#include <systemd/sd-daemon.h>

static uint64_t last_pet_ms;

uint64_t svc_watchdog_ms(void)
{
	uint64_t usec = 0;
	/* unset_environment = 0: children (none) could still read it. */
	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec / 1000;
}

void svc_ready(void)
{
	sd_notify(0, "READY=1\nSTATUS=serving citizens");
}

void svc_watchdog(uint64_t now_ms)
{
	static int64_t interval = -1;
	if (interval < 0)
		interval = (int64_t)svc_watchdog_ms();
	if (interval == 0)
		return;
	if (now_ms - last_pet_ms >= (uint64_t)interval / 2) {
		sd_notify(0, "WATCHDOG=1");
		last_pet_ms = now_ms;
	}
}

void svc_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
