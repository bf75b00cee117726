/**
 * @file config.h
 * @brief The appliance configuration: config/kiosk.conf (INI) + config/services.json.
 *
 * kiosk.conf is INI because district IT edit it with nano over SSH: comments, one
 * setting per line, and every problem reported with its line number. Unknown
 * sections or keys are errors (a typo must not silently fall back to a default).
 */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include "core/catalog.h"
#include "core/diag.h"
#include "core/err.h"

#define KCONF_ID_MAX 64      /* office code, kiosk id */
#define KCONF_TEXT_MAX 256   /* names, URLs, printer targets */
#define KCONF_PATH_MAX 512
#define KCONF_COUNTERS_MAX 32

enum koverflow { KOVERFLOW_WRAP, KOVERFLOW_REFUSE };

struct kconfig {
	char dir[KCONF_PATH_MAX];            /* the folder it was loaded from */
	/* [office] */
	char office_code[KCONF_ID_MAX];      /* "bangkhae": sent to the district server */
	char office_name_th[KCONF_TEXT_MAX];
	char office_name_en[KCONF_TEXT_MAX];
	char office_phone[KCONF_ID_MAX];     /* complaint line printed on tickets; may be "" */
	char office_email[KCONF_TEXT_MAX];   /* open data maintainer's e-mail (CKAN); may be "" */
	/* [kiosk] */
	char kiosk_id[KCONF_ID_MAX];
	char language[3];                    /* "th" or "en": the default language */
	int idle_seconds;                    /* inactivity before the "still there?" prompt */
	int idle_countdown_seconds;          /* the prompt's countdown (>= 20) */
	char admin_pin_file[KCONF_PATH_MAX]; /* relative to the data folder unless absolute */
	/* [counters] */
	int counters;                        /* counters 1..N exist */
	/* per counter: services it calls from ("" = all); comma-separated ids */
	char counter_services[KCONF_COUNTERS_MAX + 1][KCONF_TEXT_MAX];
	int counter_services_line[KCONF_COUNTERS_MAX + 1]; /* kiosk.conf line, for messages */
	/* [queue] */
	int priority_every;  /* at most N normal tickets between two priority tickets */
	int priority_age;    /* card holders this old or older get a priority ticket */
	int number_max;      /* last ticket number of a day per service (<= 999) */
	enum koverflow on_overflow;
	int default_service_minutes; /* estimate before there is any history */
	/* [printer] */
	char printer[KCONF_TEXT_MAX]; /* none | file:PATH | usb:/dev/usb/lp0 | tcp:HOST:PORT */
	int paper_dots;               /* 384, 512 or 576 */
	int printer_timeout_ms;
	/* [ticket] */
	char qr_template[KCONF_TEXT_MAX]; /* {office} {kiosk} {date} {number} {sig} */
	/* [server] */
	char server_url[KCONF_TEXT_MAX];
	char server_token_file[KCONF_PATH_MAX];
	char server_ca_file[KCONF_PATH_MAX]; /* "" = the system's CA store */
	int upload_batch;
	/* [api] */
	char api_bind[KCONF_ID_MAX];
	int api_port;
	/* [public]: the listener for citizens' phones and browsers (net/public.h) */
	char public_bind[KCONF_ID_MAX];
	int public_port;                     /* 0 = not set: `kiosk run` starts no listener */
	char public_base_url[KCONF_TEXT_MAX]; /* "https://queue.example/" or "": open-data links */
	char public_trusted_proxy[KCONF_TEXT_MAX]; /* addresses whose X-Forwarded-For is believed */
	int public_relay; /* 1: push queue snapshots to the collector, which serves /t (dev/relay.h) */

	struct kcatalog catalog;
};

/* Loads dir/kiosk.conf and dir/services.json. Every problem goes to diag; returns
 * K_EUSAGE when there is any. On success free with kconfig_free(). */
kst kconfig_load(const char *dir, struct kconfig *cfg, struct kdiag *diag);
/* The same, reading services.json through its compiled copy in data_dir (NULL: none;
 * catalog_cache.h). For commands that start often; `kiosk check-config` parses. */
kst kconfig_load_cached(const char *dir, const char *data_dir, struct kconfig *cfg,
			struct kdiag *diag);
void kconfig_free(struct kconfig *cfg);

/* Parses only kiosk.conf text (tests). */
kst kconfig_parse_ini(const char *file, const char *text, size_t len, struct kconfig *cfg,
		      struct kdiag *diag);

/* The [server] url rule: https:// anywhere, plain http:// only to 127.0.0.1,
 * [::1] or localhost (with an optional port); the host is parsed, not
 * prefix-matched. 1 when allowed. */
int kconfig_server_url_ok(const char *url);

/* [public] trusted_proxy: 1 when the numeric address addr (as written) is in the list. */
int kconfig_proxy_trusted(const struct kconfig *cfg, const char *addr);

/* [public] relay = true needs the ticket QR the collector serves: http(s)://HOST/t? with
 * exactly o={office}, d={date}, n={number}, s={sig} (any order) and maybe k={kiosk}. */
int kconfig_relay_template_ok(const char *tmpl);

/* Does counter N call from service id? */
int kconfig_counter_serves(const struct kconfig *cfg, int counter, const char *service_id);

#endif
