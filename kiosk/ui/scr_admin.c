/**
 * @file scr_admin.c
 * @brief The staff screen: the PIN, then four tabs - today and this month at a
 * glance, notices for staff, the devices (printer, ratings upload, counter API,
 * Quit), and the USB export.
 *
 * Way in: tap the office name at the top of the attract screen 5 times within
 * 3 s (scr_attract.c), then the PIN (core/adminpin.h: PBKDF2 hash in the data
 * folder, 5 wrong PINs lock it for 5 minutes across restarts). No PIN file: the
 * screen says how to set one; there is no default PIN. The session ends when
 * the screen is left (Back, Home, or the idle question timing out): the next
 * visit asks for the PIN again.
 *
 * "ออกจากโปรแกรม / Quit kiosk", at the foot of every tab, is the kiosk's only way out.
 *
 * USB drives are the removable mounts of dev/usb.h; KIOSK_USB_DIRS (folders
 * separated by ':') adds folders treated as drives, for tests and for an
 * appliance whose auto-mounter puts sticks where usb_list cannot see them.
 *
 * Argument (kiosk shot only, ignored while the kiosk runs): "overview",
 * "notices", "system" or "export" renders that tab without the PIN, from the
 * data folder's store when there is one (else an empty scratch store).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "core/adminpin.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/export.h"
#include "core/outbox.h"
#include "core/rating.h"
#include "core/report.h"
#include "dev/uploader.h"
#include "dev/usb.h"
#include "ui/face.h"
#include "ui/card_glue.h"
#include "ui/screens.h"
#include "ui/ticketing.h"
#include "ui/widgets.h"

enum astate { A_NO_PIN, A_PIN, A_LOCKED, A_OPEN, A_BROKEN };
enum tab { T_OVERVIEW, T_NOTICES, T_SYSTEM, T_EXPORT, T_COUNT };

enum {
	ID_DIGIT = 100, /* + digit */
	ID_DEL = 110,
	ID_OK,
	ID_TAB = 120,     /* + tab */
	ID_RESOLVE = 200, /* + notice index */
	ID_DRIVE = 300,   /* + drive index */
	ID_PERIOD = 320,  /* + export_period */
	ID_EXPORT = 330,
	ID_RESCAN,
	ID_QUIT,
	ID_REFRESH,
};

#define NOTICES_MAX 40
#define NOTICE_TEXT_MAX 512
#define DRIVES_MAX (USB_MOUNTS_MAX + 4)
#define MSG_MAX 1024
#define PIN_KEY_H 130

struct notice {
	int64_t id, at;
	char level[16];
	char th[NOTICE_TEXT_MAX], en[NOTICE_TEXT_MAX];
};

static struct {
	enum astate state;
	enum tab tab;
	int shot;                        /* kiosk shot: no PIN, no actions */
	char pin_path[ADMINPIN_PATH_MAX];
	char pin[ADMINPIN_MAX + 1];
	struct adminpin_state ps;
	char msg[MSG_MAX];               /* PIN entry: wrong, damaged file */
	struct ticketing *own, *tk;
	struct report today, month;
	int rep_ok;
	char rep_err[KERR_MSG_MAX];
	struct notice notices[NOTICES_MAX];
	int nn;
	struct usb_mount drives[DRIVES_MAX];
	int nd, drive;
	char usb_err[KERR_MSG_MAX];
	enum export_period period;
	char exp_msg[MSG_MAX];
	int exp_bad;
	struct ui_scroll scroll;
} st;

static const char *lang(const struct ui_app *a)
{
	return ui_lang(a) == UI_EN ? "en" : "th";
}

static struct kstore *store(void)
{
	return ticketing_queue(st.tk)->st;
}

/* --- data --------------------------------------------------------------------- */

static void load_reports(struct ui_app *a)
{
	const struct kconfig *cfg = ui_config(a);
	struct kerr err = {0};
	char day[KCLOCK_DATE_MAX];
	struct kdate d;
	int64_t now = kclock_now();

	kclock_bkk_date(now, day);
	kclock_bkk(now, &d);
	st.rep_ok = !report_range(store(), cfg, day, day, 0, &st.today, &err) &&
		    !report_month(store(), cfg, d.year, d.month, 0, &st.month, &err);
	snprintf(st.rep_err, sizeof st.rep_err, "%s", st.rep_ok ? "" : err.msg);
}

static void load_notices(void)
{
	sqlite3_stmt *s = kstore_prep(store(),
				      "SELECT id, at, level, text_th, text_en FROM notices"
				      " WHERE resolved = 0 ORDER BY id DESC LIMIT ?",
				      "i", NOTICES_MAX);
	st.nn = 0;
	while (s && sqlite3_step(s) == SQLITE_ROW && st.nn < NOTICES_MAX) {
		struct notice *n = &st.notices[st.nn++];
		const char *lv = (const char *)sqlite3_column_text(s, 2);
		const char *th = (const char *)sqlite3_column_text(s, 3);
		const char *en = (const char *)sqlite3_column_text(s, 4);
		n->id = sqlite3_column_int64(s, 0);
		n->at = sqlite3_column_int64(s, 1);
		snprintf(n->level, sizeof n->level, "%s", lv ? lv : "");
		snprintf(n->th, sizeof n->th, "%s", th ? th : "");
		snprintf(n->en, sizeof n->en, "%s", en ? en : "");
	}
	sqlite3_finalize(s);
}

static void load_drives(void)
{
	struct kerr err = {0};
	int n = usb_list("", st.drives, USB_MOUNTS_MAX, &err);
	st.usb_err[0] = 0;
	if (n < 0) {
		snprintf(st.usb_err, sizeof st.usb_err, "%s", err.msg);
		n = 0;
	}
	/* Folders named in KIOSK_USB_DIRS count as drives (tests, odd mounters). */
	const char *env = getenv("KIOSK_USB_DIRS");
	if (env && *env) {
		char buf[4096];
		snprintf(buf, sizeof buf, "%s", env);
		for (char *save = NULL, *p = strtok_r(buf, ":", &save); p && n < DRIVES_MAX;
		     p = strtok_r(NULL, ":", &save)) {
			struct stat sb;
			struct statvfs vs;
			if (stat(p, &sb) || !S_ISDIR(sb.st_mode))
				continue;
			struct usb_mount *m = &st.drives[n++];
			memset(m, 0, sizeof *m);
			snprintf(m->mountpoint, sizeof m->mountpoint, "%s", p);
			snprintf(m->device, sizeof m->device, "folder");
			snprintf(m->fstype, sizeof m->fstype, "dir");
			if (!statvfs(p, &vs)) {
				m->free_bytes = (unsigned long long)vs.f_bavail * vs.f_frsize;
				m->total_bytes = (unsigned long long)vs.f_blocks * vs.f_frsize;
				m->readonly = !!(vs.f_flag & ST_RDONLY);
			}
		}
	}
	st.nd = n;
	if (st.drive >= st.nd)
		st.drive = 0;
}

static void load_all(struct ui_app *a)
{
	load_reports(a);
	load_notices();
	load_drives();
}

static void pin_refresh(void)
{
	if (!adminpin_exists(st.pin_path)) {
		st.state = A_NO_PIN;
		return;
	}
	adminpin_state(st.pin_path, kclock_now(), &st.ps);
	st.state = st.ps.locked_until ? A_LOCKED : A_PIN;
}

/* --- enter / leave -------------------------------------------------------------- */

static void leave(struct ui_app *a)
{
	(void)a;
	ticketing_close(st.own);
	explicit_bzero(st.pin, sizeof st.pin);
	memset(&st, 0, sizeof st);
}

static kst enter(struct ui_app *a, const char *arg)
{
	const struct kconfig *cfg = ui_config(a);
	const struct ui_opts *o = ui_options(a);
	struct kerr err = {0};
	static const char *const tabs[T_COUNT] = {"overview", "notices", "system", "export"};

	memset(&st, 0, sizeof st);
	if (!cfg)
		return K_EUSAGE;
	st.period = EXPORT_TODAY;
	st.tk = ui_ticketing(a);
	if (!st.tk) {
		/* kiosk shot: the data folder's store when there is one. */
		char db[KSTORE_PATH_MAX + 16];
		struct stat sb;
		snprintf(db, sizeof db, "%s/kiosk.db", o->data_dir ? o->data_dir : "");
		if (o->data_dir && !stat(db, &sb) && !ticketing_open(cfg, o->data_dir, &st.own, &err))
			st.tk = st.own;
		else if (!ticketing_open_scratch(cfg, &st.own, &err))
			st.tk = st.own;
		else
			return K_EFAIL;
		st.shot = 1;
	}
	adminpin_path(ticketing_is_scratch(st.tk) && o->data_dir ? o->data_dir : ticketing_data_dir(st.tk),
		      cfg->admin_pin_file, st.pin_path);
	if (arg) {
		if (!st.shot)
			arg = NULL; /* the running kiosk always asks for the PIN */
		for (int i = 0; arg && i < T_COUNT; i++)
			if (!strcmp(arg, tabs[i])) {
				st.state = A_OPEN;
				st.tab = (enum tab)i;
				load_all(a);
				return K_OK;
			}
		if (arg)
			return K_EUSAGE;
	}
	pin_refresh();
	return K_OK;
}

/* --- events ----------------------------------------------------------------------- */

static void check_pin(struct ui_app *a)
{
	struct kerr err = {0};
	kst rc = adminpin_check(st.pin_path, st.pin, kclock_now(), &st.ps, &err);
	explicit_bzero(st.pin, sizeof st.pin);
	st.msg[0] = 0;
	switch (rc) {
	case K_OK:
		st.state = A_OPEN;
		st.tab = T_OVERVIEW;
		load_all(a);
		break;
	case K_EFAIL:
		if (st.ps.locked_until) {
			st.state = A_LOCKED;
		} else if (ui_lang(a) == UI_EN) {
			snprintf(st.msg, sizeof st.msg, "Wrong PIN. %d tr%s left before a %d-minute lock.",
				 st.ps.left, st.ps.left == 1 ? "y" : "ies", ADMINPIN_LOCK_S / 60);
		} else {
			snprintf(st.msg, sizeof st.msg, "PIN ไม่ถูกต้อง ใส่ได้อีก %d ครั้ง ก่อนล็อก %d นาที",
				 st.ps.left, ADMINPIN_LOCK_S / 60);
		}
		break;
	case K_EDEVICE:
		st.state = A_LOCKED;
		break;
	case K_EABSENT:
		st.state = A_NO_PIN;
		break;
	default:
		st.state = A_BROKEN;
		snprintf(st.msg, sizeof st.msg, "%s", err.msg);
		break;
	}
	ui_app_dirty(a);
}

static void resolve(struct ui_app *a, int i)
{
	struct kerr err = {0};
	if (i < 0 || i >= st.nn || st.shot)
		return;
	kstore_run(store(), kstore_prep(store(), "UPDATE notices SET resolved = 1 WHERE id = ?", "l",
					st.notices[i].id),
		   &err, "resolving a notice");
	load_notices();
	ui_app_dirty(a);
}

static void do_export(struct ui_app *a)
{
	char from[KCLOCK_DATE_MAX], until[KCLOCK_DATE_MAX];
	struct export_result r;
	struct kerr err = {0};

	if (st.shot)
		return;
	if (st.drive < 0 || st.drive >= st.nd) {
		snprintf(st.exp_msg, sizeof st.exp_msg, "%s",
			 ui_tr(a, "ไม่พบแฟลชไดรฟ์ กรุณาเสียบแฟลชไดรฟ์แล้วแตะ \"ค้นหาอีกครั้ง\"",
			       "No USB drive found: plug one in and tap \"Look again\""));
		st.exp_bad = 1;
		return;
	}
	export_period(st.period, kclock_now(), from, until);
	if (export_ratings(store(), ui_config(a), st.drives[st.drive].mountpoint, from, until, &r,
			   &err)) {
		snprintf(st.exp_msg, sizeof st.exp_msg, "%s", err.msg);
		st.exp_bad = 1;
	} else {
		if (ui_lang(a) == UI_EN)
			snprintf(st.exp_msg, sizeof st.exp_msg,
				 "%ld ratings (%s to %s) saved in %s. You can remove the drive.", r.rows,
				 r.from[0] ? r.from : "first", r.until, r.folder);
		else
			snprintf(st.exp_msg, sizeof st.exp_msg,
				 "บันทึกผลประเมิน %ld รายการ (%s ถึง %s) ไว้ที่ %s แล้ว ถอดแฟลชไดรฟ์ได้", r.rows,
				 r.from[0] ? r.from : "แรกสุด", r.until, r.folder);
		st.exp_bad = 0;
	}
	load_drives(); /* free space changed */
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type == UI_EV_USER || e->type != UI_EV_CLICK)
		return 0;
	int id = e->id;
	if (st.state == A_PIN) {
		size_t n = strlen(st.pin);
		if (id >= ID_DIGIT && id <= ID_DIGIT + 9) {
			if (n < ADMINPIN_MAX) {
				st.pin[n] = (char)('0' + id - ID_DIGIT);
				st.pin[n + 1] = 0;
			}
			st.msg[0] = 0;
			return 1;
		}
		if (id == ID_DEL) {
			if (n)
				st.pin[n - 1] = 0;
			return 1;
		}
		if (id == ID_OK) {
			if (n)
				check_pin(a);
			return 1;
		}
		return 0;
	}
	if (st.state != A_OPEN)
		return 0;
	if (id >= ID_TAB && id < ID_TAB + T_COUNT) {
		st.tab = (enum tab)(id - ID_TAB);
		st.scroll.offset = 0;
		load_all(a);
		return 1;
	}
	if (id >= ID_RESOLVE && id < ID_RESOLVE + NOTICES_MAX) {
		resolve(a, id - ID_RESOLVE);
		return 1;
	}
	if (id >= ID_DRIVE && id < ID_DRIVE + DRIVES_MAX) {
		st.drive = id - ID_DRIVE;
		st.exp_msg[0] = 0;
		return 1;
	}
	if (id >= ID_PERIOD && id <= ID_PERIOD + EXPORT_LAST_MONTH) {
		st.period = (enum export_period)(id - ID_PERIOD);
		st.exp_msg[0] = 0;
		return 1;
	}
	switch (id) {
	case ID_EXPORT:
		do_export(a);
		st.scroll.offset = 1 << 20; /* the result is at the end: show it */
		return 1;
	case ID_RESCAN:
		load_drives();
		st.exp_msg[0] = 0;
		return 1;
	case ID_REFRESH:
		load_all(a);
		return 1;
	case ID_QUIT:
		if (!st.shot)
			ui_app_quit(a, 0);
		return 1;
	}
	return 0;
}

/* Once a second while staff look: the lock's countdown, and the System tab
 * (upload and printer move on their own). A screen cannot reschedule its tick
 * from an event, and this one is rarely open, so it simply keeps ticking. */
static int64_t tick(struct ui_app *a, int64_t now_ms)
{
	(void)now_ms;
	if (st.state == A_LOCKED) {
		pin_refresh();
		ui_app_dirty(a);
	} else if (st.state == A_OPEN && st.tab == T_SYSTEM) {
		ui_app_dirty(a);
	}
	return 1000;
}

/* --- drawing: PIN ----------------------------------------------------------------- */

static int draw_box(struct ui_app *a, int x, int y, int w, const char *m1, const char *m2, int bad)
{
	const struct ui_theme *t = ui_theme(a);
	int ip = ui_sz(a, 24), cw = w - 2 * ip;
	SDL_Color bg = bad ? t->accent_bg : t->note_bg, fg = bad ? t->accent_text : t->note_text;
	int h = 2 * ip + ui_label_height(a, cw, m1, UI_F_HEAD);
	if (m2 && *m2)
		h += ui_sz(a, 10) + ui_label_height(a, cw, m2, UI_F_BODY);
	ui_fill(a, (SDL_Rect){x, y, w, h}, bg, 16);
	int yy = y + ip + ui_label(a, (SDL_Rect){x + ip, y + ip, cw, 0}, m1, UI_F_HEAD, fg, TEXT_CENTER);
	if (m2 && *m2)
		ui_label(a, (SDL_Rect){x + ip, yy + ui_sz(a, 10), cw, 0}, m2, UI_F_BODY, fg, TEXT_CENTER);
	return h;
}

static int draw_pin(struct ui_app *a, int y)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), m = ui_sz(a, UI_MARGIN), g = ui_sz(a, 16);
	int cw = W - 2 * m;
	if (cw > ui_sz(a, 900))
		cw = ui_sz(a, 900);
	int x = (W - cw) / 2;
	char buf[MSG_MAX];

	if (st.state == A_NO_PIN || st.state == A_BROKEN) {
		y += draw_box(a, x, y, cw,
			      st.state == A_NO_PIN
				      ? ui_tr(a, "ยังไม่ได้ตั้ง PIN ผู้ดูแล", "No admin PIN has been set")
				      : ui_tr(a, "ไฟล์ PIN ใช้ไม่ได้", "The PIN file cannot be used"),
			      st.state == A_BROKEN ? st.msg : NULL, 1) + 2 * g;
		y += ui_label(a, (SDL_Rect){x, y, cw, 0},
			      ui_tr(a, "ฝ่ายไอทีตั้ง PIN (ตัวเลข 6 ถึง 12 หลัก) ได้ที่เครื่องนี้ด้วยคำสั่ง",
				    "IT can set a PIN (6 to 12 digits) on this machine with"),
			      UI_F_BODY, t->text, TEXT_CENTER) + g;
		y += ui_label(a, (SDL_Rect){x, y, cw, 0}, "kiosk admin-pin", UI_F_TITLE, t->text,
			      TEXT_CENTER) + g;
		y += ui_label(a, (SDL_Rect){x, y, cw, 0}, st.pin_path, UI_F_SMALL, t->muted, TEXT_CENTER);
		return y + g;
	}
	y += ui_label(a, (SDL_Rect){x, y, cw, 0}, ui_tr(a, "สำหรับเจ้าหน้าที่เท่านั้น", "Staff only"),
		      UI_F_TITLE, t->text, TEXT_CENTER) + g;
	if (st.state == A_LOCKED) {
		int64_t left = st.ps.locked_until - kclock_now();
		left = left < 0 ? 0 : left;
		if (ui_lang(a) == UI_EN)
			snprintf(buf, sizeof buf, "Try again in %lld:%02lld", (long long)left / 60,
				 (long long)left % 60);
		else
			snprintf(buf, sizeof buf, "ลองใหม่ได้ในอีก %lld:%02lld นาที", (long long)left / 60,
				 (long long)left % 60);
		y += draw_box(a, x, y, cw,
			      ui_tr(a, "ใส่ PIN ผิดเกินกำหนด ระบบล็อกไว้ชั่วคราว",
				    "Too many wrong PINs: locked for a while"),
			      buf, 1);
		return y + g;
	}
	y += ui_label(a, (SDL_Rect){x, y, cw, 0}, ui_tr(a, "กรุณาใส่ PIN", "Enter the PIN"), UI_F_HEAD,
		      t->text, TEXT_CENTER) + g;
	/* One dot per digit typed, in a field. */
	int fh = ui_sz(a, 110);
	ui_fill(a, (SDL_Rect){x, y, cw, fh}, t->btn2_border, 14);
	ui_fill(a, (SDL_Rect){x + 3, y + 3, cw - 6, fh - 6}, t->panel, 12);
	int n = (int)strlen(st.pin), r = ui_sz(a, 16), dg = ui_sz(a, 22);
	int dx = x + (cw - (n * 2 * r + (n - 1) * dg)) / 2 + r;
	for (int i = 0; i < n; i++)
		ui_disc(a, dx + i * (2 * r + dg), y + fh / 2, r, t->text);
	y += fh + g;
	if (st.msg[0])
		y += draw_box(a, x, y, cw, st.msg, NULL, 1) + g;
	int kh = ui_sz(a, PIN_KEY_H), kw = (cw - 2 * g) / 3;
	static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
	for (int i = 0; i < 9; i++)
		ui_key(a, ID_DIGIT + i + 1, (SDL_Rect){x + (i % 3) * (kw + g), y + (i / 3) * (kh + g), kw, kh},
		       digits[i], digits[i], UI_F_TITLE, UI_BTN_SECONDARY, 0);
	y += 3 * (kh + g);
	const char *del = ui_tr(a, "ลบ", "Delete"), *ok = ui_tr(a, "ตกลง", "OK");
	ui_key(a, ID_DEL, (SDL_Rect){x, y, kw, kh}, del, del, UI_F_HEAD, UI_BTN_SECONDARY, 0);
	ui_key(a, ID_DIGIT, (SDL_Rect){x + kw + g, y, kw, kh}, "0", "0", UI_F_TITLE, UI_BTN_SECONDARY, 0);
	ui_key(a, ID_OK, (SDL_Rect){x + 2 * (kw + g), y, kw, kh}, ok, ok, UI_F_TITLE, 0, 0);
	return y + kh + g;
}

/* --- drawing: tabs ------------------------------------------------------------------ */

static int section(struct ui_app *a, int x, int y, int w, const char *title)
{
	const struct ui_theme *t = ui_theme(a);
	int h = ui_label(a, (SDL_Rect){x, y, w, 0}, title, UI_F_HEAD, t->text, TEXT_LEFT);
	ui_fill(a, (SDL_Rect){x, y + h + ui_sz(a, 4), w, ui_sz(a, 3) > 1 ? ui_sz(a, 3) : 1}, t->divider, 0);
	return h + ui_sz(a, 16);
}

static void sat_text(const struct ui_app *a, const struct report_sat *s, char *out, size_t cap)
{
	if (!s->n)
		snprintf(out, cap, "%s", ui_tr(a, "ยังไม่มี", "none yet"));
	else
		snprintf(out, cap, "%.2f %s", s->all, rating_band_label(s->band_all, lang(a)));
}

/* Today and this month side by side: what, today, month - one row per figure. */
static int figures(struct ui_app *a, int x, int y, int w, const char *month)
{
	const struct ui_theme *t = ui_theme(a);
	const struct report *r[2] = {&st.today, &st.month};
	enum { ROWS = 5 };
	const char *what[ROWS] = {ui_tr(a, "ผู้ใช้บริการ (บัตรคิว)", "Visitors (tickets)"),
				  ui_tr(a, "รับบริการแล้ว", "Served"), ui_tr(a, "ผลประเมิน", "Ratings"),
				  ui_tr(a, "ความพึงพอใจเฉลี่ย (เต็ม 5)", "Mean satisfaction (of 5)"),
				  ui_tr(a, "ค้นหาข้อมูล (ตู้ เว็บ โทรศัพท์)", "Look-ups (kiosk, web, phone)")};
	int g = ui_sz(a, 16), ip = ui_sz(a, 20);
	int c0 = (w - 2 * ip) * 34 / 100, c1 = (w - 2 * ip - c0 - 2 * g) / 2;
	int xs[3] = {x + ip, x + ip + c0 + g, x + ip + c0 + c1 + 2 * g};
	int y0 = y, h = 0;
	/* Measure first: the panel goes under the rows. */
	char v[ROWS][2][96];
	for (int k = 0; k < 2; k++) {
		snprintf(v[4][k], sizeof v[4][k], "%ld", r[k]->lookups); /* docs/kpi.md */
		snprintf(v[0][k], sizeof v[0][k], "%ld", r[k]->users);
		snprintf(v[1][k], sizeof v[1][k], "%ld", r[k]->served);
		snprintf(v[2][k], sizeof v[2][k], "%ld", r[k]->sat.n);
		sat_text(a, &r[k]->sat, v[3][k], sizeof v[3][k]);
	}
	int hh = ui_label_height(a, c1, month, UI_F_BODY);
	int rh[ROWS];
	h = 2 * ip + hh + g;
	for (int i = 0; i < ROWS; i++) {
		rh[i] = ui_label_height(a, c0, what[i], UI_F_BODY);
		for (int k = 0; k < 2; k++) {
			int vh = ui_label_height(a, c1, v[i][k], UI_F_HEAD);
			rh[i] = vh > rh[i] ? vh : rh[i];
		}
		h += rh[i] + g;
	}
	ui_fill(a, (SDL_Rect){x, y, w, h}, t->panel, 14);
	y += ip;
	ui_label(a, (SDL_Rect){xs[1], y, c1, 0}, ui_tr(a, "วันนี้", "Today"), UI_F_BODY, t->muted, TEXT_RIGHT);
	ui_label(a, (SDL_Rect){xs[2], y, c1, 0}, month, UI_F_BODY, t->muted, TEXT_RIGHT);
	y += hh + g;
	for (int i = 0; i < ROWS; i++) {
		/* Each cell centred on the row: words and figures share a middle line. */
		int lh = ui_label_height(a, c0, what[i], UI_F_BODY);
		ui_label(a, (SDL_Rect){xs[0], y + (rh[i] - lh) / 2, c0, 0}, what[i], UI_F_BODY,
			 t->panel_text, TEXT_LEFT);
		for (int k = 0; k < 2; k++) {
			int vh = ui_label_height(a, c1, v[i][k], UI_F_HEAD);
			ui_label(a, (SDL_Rect){xs[1 + k], y + (rh[i] - vh) / 2, c1, 0}, v[i][k], UI_F_HEAD,
				 t->panel_text, TEXT_RIGHT);
		}
		y += rh[i] + g;
		if (i < ROWS - 1)
			ui_fill(a, (SDL_Rect){x + ip, y - g / 2, w - 2 * ip, 1}, t->divider, 0);
	}
	return y + ip - g - y0;
}

static int draw_overview(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	const struct kconfig *cfg = ui_config(a);
	char buf[256], mname[64];
	int y0 = y, g = ui_sz(a, 20);

	if (!st.rep_ok)
		return draw_box(a, x, y, w, ui_tr(a, "อ่านข้อมูลไม่ได้", "The figures cannot be read"),
				st.rep_err, 1);
	report_month_name(st.month.year, st.month.month, lang(a), mname, sizeof mname);
	y += section(a, x, y, w, ui_tr(a, "ภาพรวมการให้บริการ", "At a glance"));
	y += figures(a, x, y, w, mname) + 2 * g;

	/* The district's target: a bar to REPORT_TARGET_USERS visitors, counted as the study
	 * does (the combined figure of docs/kpi.md). */
	if (ui_lang(a) == UI_EN)
		snprintf(buf, sizeof buf, "Target: %ld of %d visitors this month%s", st.month.combined,
			 st.month.target, st.month.target_met ? " - reached" : "");
	else
		snprintf(buf, sizeof buf, "เป้าหมาย: ผู้ใช้บริการ %ld จาก %d คนต่อเดือน%s", st.month.combined,
			 st.month.target, st.month.target_met ? " (ถึงเป้าแล้ว)" : "");
	y += ui_label(a, (SDL_Rect){x, y, w, 0}, buf, UI_F_BODY, t->text, TEXT_LEFT) + ui_sz(a, 8);
	int bh = ui_sz(a, 36);
	long tgt = st.month.target > 0 ? st.month.target : REPORT_TARGET_USERS;
	int fw = (int)((long long)w * (st.month.combined > tgt ? tgt : st.month.combined) / tgt);
	ui_fill(a, (SDL_Rect){x, y, w, bh}, t->divider, 10);
	if (fw > 0)
		ui_fill(a, (SDL_Rect){x, y, fw, bh}, t->btn_bg, 10);
	y += bh + 2 * g;

	y += section(a, x, y, w, ui_tr(a, "แยกตามบริการ (เดือนนี้)", "Per service (this month)"));
	int rows = 0;
	for (int i = 0; i < st.month.n_services; i++) {
		const struct report_service *s = &st.month.svc[i];
		const struct kservice *ks = kcatalog_find(&cfg->catalog, s->id);
		if (!s->users && !s->sat.n)
			continue;
		char sat[96], line[160];
		sat_text(a, &s->sat, sat, sizeof sat);
		if (ui_lang(a) == UI_EN)
			snprintf(line, sizeof line, "%ld visitor%s · %s", s->users, s->users == 1 ? "" : "s", sat);
		else
			snprintf(line, sizeof line, "%ld คน · %s", s->users, sat);
		int lw = w * 58 / 100, rw = w - lw - g;
		int h1 = ui_label(a, (SDL_Rect){x, y, lw, 0}, ks ? ktext_get(&ks->name, lang(a)) : s->id,
				  UI_F_BODY, t->text, TEXT_LEFT);
		int h2 = ui_label(a, (SDL_Rect){x + lw + g, y, rw, 0}, line, UI_F_BODY, t->text, TEXT_RIGHT);
		y += (h1 > h2 ? h1 : h2) + ui_sz(a, 10);
		ui_fill(a, (SDL_Rect){x, y - ui_sz(a, 5), w, 1}, t->divider, 0);
		rows++;
	}
	if (!rows)
		y += ui_label(a, (SDL_Rect){x, y, w, 0}, ui_tr(a, "ยังไม่มีผู้ใช้บริการเดือนนี้", "No visitors yet this month"),
			      UI_F_BODY, t->muted, TEXT_LEFT);
	if (st.month.flagged) {
		if (ui_lang(a) == UI_EN)
			snprintf(buf, sizeof buf, "%ld rating%s this month look%s like misuse and %s left out",
				 st.month.flagged, st.month.flagged == 1 ? "" : "s",
				 st.month.flagged == 1 ? "s" : "", st.month.flagged == 1 ? "is" : "are");
		else
			snprintf(buf, sizeof buf, "ผลประเมิน %ld รายการเดือนนี้ดูผิดปกติ จึงไม่นำมานับ",
				 st.month.flagged);
		y += g + ui_label(a, (SDL_Rect){x, y + g, w, 0}, buf, UI_F_SMALL, t->muted, TEXT_LEFT);
	}
	return y - y0 + g;
}

static void when_text(const struct ui_app *a, int64_t at, char *out, size_t cap)
{
	struct kdate d;
	char date[TEXT_DATE_MAX];
	if (!at) {
		snprintf(out, cap, "%s", ui_tr(a, "ยังไม่เคย", "never"));
		return;
	}
	kclock_bkk(at, &d);
	text_date(d.year, d.month, d.day, d.wday, ui_lang(a) == UI_EN ? TEXT_EN : TEXT_TH, 0, date,
		  sizeof date);
	snprintf(out, cap, "%s %02d:%02d", date, d.hour, d.min);
}

static int draw_notices(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int y0 = y, g = ui_sz(a, 16), ip = ui_sz(a, 20);
	const char *done = ui_tr(a, "แก้ไขแล้ว", "Mark as resolved");
	if (!st.nn)
		return draw_box(a, x, y, w, ui_tr(a, "ไม่มีเรื่องแจ้งเจ้าหน้าที่", "Nothing for staff"),
				ui_tr(a, "เครื่องพิมพ์ ฐานข้อมูล และการส่งข้อมูลทำงานปกติ",
				      "No printer, database or upload problem is waiting"),
				0);
	for (int i = 0; i < st.nn; i++) {
		const struct notice *n = &st.notices[i];
		char when[128];
		when_text(a, n->at, when, sizeof when);
		const char *m1 = ui_lang(a) == UI_EN ? n->en : n->th;
		const char *m2 = ui_lang(a) == UI_EN ? n->th : n->en;
		int cw = w - 2 * ip - ui_sz(a, 12);
		int bw = cw, bh = ui_button_height(a, bw, done, NULL);
		int h = 2 * ip + ui_label_height(a, cw, when, UI_F_SMALL) +
			ui_label_height(a, cw, m1, UI_F_BODY) + ui_label_height(a, cw, m2, UI_F_SMALL) +
			g + bh;
		int err = !strcmp(n->level, "error");
		ui_fill(a, (SDL_Rect){x, y, w, h}, t->panel, 14);
		ui_fill(a, (SDL_Rect){x, y, ui_sz(a, 12), h}, err ? t->accent_bg : t->note_text, 6);
		int cx = x + ip + ui_sz(a, 12), yy = y + ip;
		yy += ui_label(a, (SDL_Rect){cx, yy, cw, 0}, when, UI_F_SMALL, t->muted, TEXT_LEFT);
		yy += ui_label(a, (SDL_Rect){cx, yy, cw, 0}, m1, UI_F_BODY, t->panel_text, TEXT_LEFT);
		yy += ui_label(a, (SDL_Rect){cx, yy, cw, 0}, m2, UI_F_SMALL, t->muted, TEXT_LEFT) + g;
		ui_button(a, ID_RESOLVE + i, (SDL_Rect){cx, yy, bw, bh}, done, UI_BTN_SECONDARY);
		y += h + g;
	}
	return y - y0;
}

/* The upload needs its token file ([server] token_file, relative to the data
 * folder unless absolute); the worker reads it on each pass. */
static int token_present(const struct kconfig *cfg, const char *data_dir)
{
	char path[KCONF_PATH_MAX * 2];
	struct stat sb;
	if (!cfg->server_token_file[0])
		return 0;
	if (cfg->server_token_file[0] == '/')
		snprintf(path, sizeof path, "%s", cfg->server_token_file);
	else
		snprintf(path, sizeof path, "%s/%s", data_dir, cfg->server_token_file);
	return !stat(path, &sb) && S_ISREG(sb.st_mode);
}

/* "label: value" rows in a panel. */
static int kv(struct ui_app *a, int x, int y, int w, const char *k, const char *v, int bad)
{
	const struct ui_theme *t = ui_theme(a);
	int kw = w * 36 / 100, g = ui_sz(a, 16);
	int h1 = ui_label(a, (SDL_Rect){x, y, kw, 0}, k, UI_F_SMALL, t->muted, TEXT_LEFT);
	int h2 = ui_label(a, (SDL_Rect){x + kw + g, y, w - kw - g, 0}, v, UI_F_BODY,
			  bad ? t->accent_bg : t->text, TEXT_LEFT);
	return (h1 > h2 ? h1 : h2) + ui_sz(a, 10);
}

static int draw_system(struct ui_app *a, int x, int y, int w)
{
	const struct kconfig *cfg = ui_config(a);
	const struct ui_opts *o = ui_options(a);
	int y0 = y, g = ui_sz(a, 20);
	char buf[KERR_MSG_MAX + 64], when[128];
	const char *L = lang(a);

	/* Printer. */
	struct ticketing_printer p;
	ticketing_printer_status(st.tk, &p);
	y += section(a, x, y, w, ui_tr(a, "เครื่องพิมพ์บัตรคิว", "Ticket printer"));
	if (!p.configured) {
		y += kv(a, x, y, w, ui_tr(a, "สถานะ", "State"),
			ui_tr(a, "ไม่ได้ต่อเครื่องพิมพ์ (target = none)", "No printer (target = none)"), 0);
	} else {
		int bad = p.rep.status != PRINTER_OK && p.rep.status != PRINTER_UNKNOWN;
		y += kv(a, x, y, w, ui_tr(a, "สถานะ", "State"),
			p.rep.status == PRINTER_UNKNOWN ? ui_tr(a, "ยังไม่ได้พิมพ์ตั้งแต่เปิดเครื่อง", "Nothing printed since start")
							: printer_status_text(p.rep.status, L),
			bad);
		y += kv(a, x, y, w, ui_tr(a, "ต่อที่", "Target"), p.spec, 0);
		snprintf(buf, sizeof buf, ui_lang(a) == UI_EN ? "%llu printed, %llu failed, %d waiting"
							       : "พิมพ์แล้ว %llu ใบ ไม่สำเร็จ %llu ใบ รอพิมพ์ %d ใบ",
			 (unsigned long long)p.rep.printed, (unsigned long long)p.rep.failed, p.rep.queued);
		y += kv(a, x, y, w, ui_tr(a, "ตั้งแต่เปิดเครื่อง", "Since start"), buf, 0);
	}
	y += g;

	/* Ratings upload. */
	struct outbox_counts oc;
	struct kerr err = {0};
	memset(&oc, 0, sizeof oc);
	outbox_counts(store(), &oc, &err);
	y += section(a, x, y, w, ui_tr(a, "การส่งผลประเมินไปสำนักงานเขต", "Ratings upload to the district"));
	struct upl_status us;
	memset(&us, 0, sizeof us);
	if (o->upl)
		upl_worker_status(o->upl, &us);
	const char *state = ui_tr(a, "ทำงานปกติ", "Working");
	int bad = 1;
	if (!cfg->server_url[0])
		state = ui_tr(a, "ยังไม่ได้ตั้งค่า ([server] url)", "Not configured ([server] url)");
	else if (!o->upl)
		state = o->upl_note && *o->upl_note ? o->upl_note : ui_tr(a, "ไม่ได้ทำงาน", "Not running");
	else if (!token_present(cfg, ticketing_data_dir(st.tk)))
		state = ui_tr(a, "ยังไม่ได้ตั้งค่า: ไม่มีไฟล์โทเค็น ([server] token_file)",
			      "Not configured: no token file ([server] token_file)");
	else if (us.in_flight)
		state = ui_tr(a, "กำลังส่ง", "Sending"), bad = 0;
	else if (us.last_error[0])
		state = ui_tr(a, "ส่งไม่สำเร็จ จะลองใหม่เอง", "Failing, will retry");
	else
		bad = 0;
	y += kv(a, x, y, w, ui_tr(a, "สถานะ", "State"), state, bad);
	snprintf(buf, sizeof buf, ui_lang(a) == UI_EN ? "%lld waiting, %lld set aside, %lld sent"
						       : "รอส่ง %lld รายการ ถูกปฏิเสธ %lld ส่งแล้ว %lld",
		 oc.pending, oc.rejected, oc.sent);
	y += kv(a, x, y, w, ui_tr(a, "ผลประเมิน", "Ratings"), buf, oc.rejected > 0);
	when_text(a, us.last_ok_at ? us.last_ok_at : oc.last_sent_at, when, sizeof when);
	y += kv(a, x, y, w, ui_tr(a, "ส่งสำเร็จล่าสุด", "Last success"), when, 0);
	const char *le = us.last_error[0] ? us.last_error : oc.last_error;
	if (le[0])
		y += kv(a, x, y, w, ui_tr(a, "ข้อผิดพลาดล่าสุด", "Last error"), le, 1);
	y += g;

	/* ID card reader (ui/card_glue.h): without one the kiosk works by touch. */
	y += section(a, x, y, w, ui_tr(a, "เครื่องอ่านบัตรประชาชน", "ID card reader"));
	int nr = card_readers();
	if (nr > 0)
		snprintf(buf, sizeof buf, ui_lang(a) == UI_EN ? "Ready (%d reader%s)" : "พร้อมใช้งาน (%d เครื่อง)",
			 nr, nr > 1 ? "s" : "");
	else
		snprintf(buf, sizeof buf, "%s",
			 nr == 0 ? ui_tr(a, "ไม่พบเครื่องอ่านบัตร (ใช้งานแบบแตะหน้าจอได้ตามปกติ)",
					 "No reader found (the kiosk works by touch)")
				 : ui_tr(a, "ไม่ได้เฝ้าเครื่องอ่านบัตร", "Not watched"));
	y += kv(a, x, y, w, ui_tr(a, "สถานะ", "State"), buf, nr <= 0);
	y += g;

	/* Counter API. */
	y += section(a, x, y, w, ui_tr(a, "ระบบเรียกคิวของเคาน์เตอร์", "Counter API"));
	if (o->api_port)
		snprintf(buf, sizeof buf, "http://%s:%d/", cfg->api_bind, o->api_port);
	else
		snprintf(buf, sizeof buf, "%s", o->api_note && *o->api_note ? o->api_note
									: ui_tr(a, "ไม่ได้เปิด", "Not serving"));
	y += kv(a, x, y, w, ui_tr(a, "ที่อยู่", "Address"), buf, !o->api_port);
	y += g;
	return y - y0;
}

static int draw_export(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int y0 = y, g = ui_sz(a, 16);
	char buf[USB_PATH_MAX + 128];
	y += section(a, x, y, w, ui_tr(a, "1. เลือกแฟลชไดรฟ์", "1. Choose the USB drive"));
	if (!st.nd)
		y += draw_box(a, x, y, w, ui_tr(a, "ไม่พบแฟลชไดรฟ์", "No USB drive found"),
			      st.usb_err[0] ? st.usb_err
					    : ui_tr(a, "เสียบแฟลชไดรฟ์ที่ช่อง USB แล้วแตะ \"ค้นหาอีกครั้ง\"",
						    "Plug a drive into a USB port, then tap \"Look again\""),
			      0) + g;
	for (int i = 0; i < st.nd; i++) {
		const struct usb_mount *m = &st.drives[i];
		char size[32];
		if (m->free_bytes >= (1ULL << 30))
			snprintf(size, sizeof size, "%.1f GB", (double)m->free_bytes / (1 << 30));
		else
			snprintf(size, sizeof size, "%llu MB", m->free_bytes >> 20);
		if (ui_lang(a) == UI_EN)
			snprintf(buf, sizeof buf, "%s free%s", size, m->readonly ? ", read-only" : "");
		else
			snprintf(buf, sizeof buf, "ว่าง %s%s", size, m->readonly ? " (อ่านอย่างเดียว)" : "");
		y += ui_button_sub(a, ID_DRIVE + i, (SDL_Rect){x, y, w, 0}, m->mountpoint, buf,
				   UI_BTN_LEFT | (i == st.drive ? 0 : UI_BTN_SECONDARY)) + g;
	}
	const char *again = ui_tr(a, "ค้นหาอีกครั้ง", "Look again");
	y += ui_button(a, ID_RESCAN, (SDL_Rect){x, y, w, 0}, again, UI_BTN_SECONDARY) + 2 * g;

	y += section(a, x, y, w, ui_tr(a, "2. เลือกช่วงเวลา", "2. Choose the period"));
	const char *pl[3] = {ui_tr(a, "วันนี้", "Today"), ui_tr(a, "เดือนนี้", "This month"),
			     ui_tr(a, "เดือนที่แล้ว", "Last month")};
	int pw = (w - 2 * g) / 3, ph = 0;
	for (int i = 0; i < 3; i++) {
		int h = ui_button_height(a, pw, pl[i], NULL);
		ph = h > ph ? h : ph;
	}
	for (int i = 0; i < 3; i++)
		ui_button(a, ID_PERIOD + i, (SDL_Rect){x + i * (pw + g), y, pw, ph}, pl[i],
			  (int)st.period == i ? 0 : UI_BTN_SECONDARY);
	y += ph + 2 * g;
	char from[KCLOCK_DATE_MAX], until[KCLOCK_DATE_MAX];
	export_period(st.period, kclock_now(), from, until);
	snprintf(buf, sizeof buf, ui_lang(a) == UI_EN ? "Ratings from %s to %s" : "ผลประเมินตั้งแต่ %s ถึง %s",
		 from, until);
	y += ui_label(a, (SDL_Rect){x, y, w, 0}, buf, UI_F_BODY, t->text, TEXT_LEFT) + g;

	y += section(a, x, y, w, ui_tr(a, "3. บันทึก", "3. Save"));
	const char *ex = ui_tr(a, "บันทึกลงแฟลชไดรฟ์", "Save to the USB drive");
	const char *ex2 = ui_tr(a, "ไฟล์ CSV สำหรับ Excel, JSON และ SHA256SUMS",
				"CSV for Excel, JSON and SHA256SUMS");
	y += ui_button_sub(a, ID_EXPORT, (SDL_Rect){x, y, w, 0}, ex, ex2, st.nd ? 0 : UI_BTN_DISABLED) + g;
	if (st.exp_msg[0])
		y += draw_box(a, x, y, w, st.exp_bad ? ui_tr(a, "บันทึกไม่สำเร็จ", "Not saved") : ui_tr(a, "บันทึกแล้ว", "Saved"),
			      st.exp_msg, st.exp_bad) + g;
	return y - y0;
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), g = ui_sz(a, 16);
	int bar = ui_topbar(a, ui_tr(a, "ผู้ดูแลระบบ", "Administration"), UI_BAR_BACK);
	int cw = W - 2 * m, y = bar + ui_sz(a, 24);

	if (st.state != A_OPEN) {
		ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, bar, W, H - bar});
		y = draw_pin(a, y);
		ui_scroll_end(a, &st.scroll, y);
		return;
	}
	/* Tabs under the bar, then the tab's content scrolling below them. */
	const char *tl[T_COUNT] = {ui_tr(a, "ภาพรวม", "Overview"), ui_tr(a, "แจ้งเตือน", "Notices"),
				   ui_tr(a, "ระบบ", "System"), ui_tr(a, "ส่งออก", "Export")};
	char nt[64];
	if (st.nn) {
		snprintf(nt, sizeof nt, "%s (%d)", tl[T_NOTICES], st.nn);
		tl[T_NOTICES] = nt;
	}
	int tw = (cw - 3 * g) / T_COUNT, th = ui_sz(a, 100);
	ui_fill(a, (SDL_Rect){0, bar, W, th + 2 * g}, t->bg, 0);
	for (int i = 0; i < T_COUNT; i++)
		ui_key(a, ID_TAB + i, (SDL_Rect){m + i * (tw + g), bar + g, tw, th}, tl[i], tl[i],
		       UI_F_BUTTON, UI_BTN_SECONDARY, (int)st.tab == i);
	int top = bar + th + 2 * g;
	ui_fill(a, (SDL_Rect){0, top - 1, W, ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1}, t->divider, 0);

	/* The way out, always in view at the foot. */
	const char *quit = ui_tr(a, "ออกจากโปรแกรม", "Quit kiosk");
	const char *quit2 = ui_tr(a, "ปิดหน้าจอบริการ กลับสู่ระบบของเครื่อง", "Closes the kiosk screen");
	int qh = ui_button_height(a, cw, quit, quit2), foot = qh + 2 * g;
	ui_fill(a, (SDL_Rect){0, H - foot, W, foot}, t->panel, 0);
	ui_fill(a, (SDL_Rect){0, H - foot, W, ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1}, t->divider, 0);
	ui_button_sub(a, ID_QUIT, (SDL_Rect){m, H - foot + g, cw, qh}, quit, quit2, UI_BTN_ACCENT);

	ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, top, W, H - top - foot});
	y = top + ui_sz(a, 24);
	switch (st.tab) {
	case T_OVERVIEW:
		y += draw_overview(a, m, y, cw);
		break;
	case T_NOTICES:
		y += draw_notices(a, m, y, cw);
		break;
	case T_SYSTEM:
		y += draw_system(a, m, y, cw);
		break;
	case T_EXPORT:
		y += draw_export(a, m, y, cw);
		break;
	case T_COUNT:
		break;
	}
	ui_scroll_end(a, &st.scroll, y + g);
}

const struct ui_screen_ops scr_admin = {
	.name = "admin",
	.enter = enter,
	.leave = leave,
	.draw = draw,
	.event = event,
	.tick = tick,
};
