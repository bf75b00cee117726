/**
 * @file cardreader.c
 * @brief Thai ID card over pcsc-lite: reader/card watching and the APDU exchange.
 */
#include "dev/cardreader.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <winscard.h>

#define PNP_NAME "\\\\?PnP?\\Notification"
/* A 255-byte chunk arrives as 257 bytes (data + SW1 SW2); one more shows an over-long reply. */
#define RDR_RECV_MAX 258
#define RDR_CHUNK_MAX 255     /* READ's length byte */
#define RDR_READ_TRIES 3      /* whole-read attempts while the card stays in */
#define RDR_CONNECT_MS 2000   /* budget for a card that is not ready right after insertion */
#define RDR_SETTLE_MS 300     /* after a failed APDU: how long a removal may take to show */
#define RDR_SLICE_MS 500      /* longest watcher wait before it looks at its stop flag */
#define RDR_SERVICE_RETRY_MS 1000 /* pcscd absent: try again this often */
#define RDR_STOP_WAIT_S 2     /* rdr_stop gives a read in progress this long */
#define RDR_MAX_CHUNKS IDCARD_F_COUNT

static const uint8_t select_apdu[] = {0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0,
				      0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01};

static const char *const fail_th[] = {
	[RDR_FAIL_NONE] = "",
	[RDR_FAIL_PULLED] = "บัตรถูกดึงออกระหว่างอ่าน กรุณาเสียบบัตรใหม่อีกครั้ง",
	[RDR_FAIL_UNREADABLE] = "อ่านบัตรไม่ได้ กรุณาเสียบบัตรใหม่อีกครั้ง",
	[RDR_FAIL_NOT_THAI] = "บัตรนี้ไม่ใช่บัตรประจำตัวประชาชน",
	[RDR_FAIL_BUSY] = "เครื่องอ่านบัตรไม่ว่าง กรุณาเสียบบัตรใหม่อีกครั้ง",
};
static const char *const fail_en[] = {
	[RDR_FAIL_NONE] = "",
	[RDR_FAIL_PULLED] = "the card was removed during reading: please insert the card again",
	[RDR_FAIL_UNREADABLE] = "the card could not be read: please insert the card again",
	[RDR_FAIL_NOT_THAI] = "this is not a Thai national ID card",
	[RDR_FAIL_BUSY] = "the card is in use by another program: please insert the card again",
};

const char *rdr_fail_msg(enum rdr_fail f, const char *lang)
{
	if ((unsigned)f > RDR_FAIL_BUSY)
		f = RDR_FAIL_UNREADABLE;
	return lang && !strcmp(lang, "th") ? fail_th[f] : fail_en[f];
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copies a reader name, cut to fit (pcsc-lite names are shorter anyway). */
static void copy_name(char dst[RDR_NAME_MAX], const char *src)
{
	size_t n = src ? strnlen(src, RDR_NAME_MAX - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = 0;
}

static int name_matches(const char *name, const char *filter)
{
	return !filter || !*filter || !strcmp(name, filter) || strstr(name, filter);
}

/* --- the read ---------------------------------------------------------------- */

/* A range fetched with one READ. The text fields from the citizen ID to the gender
 * lie end to end (0x0004..0x00E1), as do the issue and expiry dates: the card's data
 * area is one flat file (the photo is read in 255-byte chunks at any offset), so
 * neighbours are fetched together: SELECT + 4 x (READ + GET RESPONSE) = 9 APDUs.
 * A retry reads field by field (19 APDUs), in case a card minds ranges across fields. */
struct chunk {
	uint16_t off;
	uint16_t len;
	int first, last; /* enum idcard_fid range */
};

static int make_chunks(struct chunk *ch, int merge)
{
	int n = 0;
	for (int f = 0; f < IDCARD_F_COUNT; f++) {
		const struct idcard_field_def *d = &idcard_fields[f];
		if (merge && n > 0 && ch[n - 1].off + ch[n - 1].len == d->offset &&
		    ch[n - 1].len + d->len <= RDR_CHUNK_MAX) {
			ch[n - 1].len = (uint16_t)(ch[n - 1].len + d->len);
			ch[n - 1].last = f;
			continue;
		}
		ch[n++] = (struct chunk){d->offset, d->len, f, f};
	}
	return n;
}

struct sess {
	SCARDCONTEXT ctx;
	const char *reader;
	DWORD counter0; /* the reader's event counter when the card was seen */
	SCARDHANDLE h;
	int connected, in_tx;
	const SCARD_IO_REQUEST *pci;
	uint8_t p2; /* GET RESPONSE P2: 01 only for a legacy 3B 67 ATR */
	struct rdr_stats *st;
	LONG last_rv;
};

/* Outcome of one step: go on, retry the whole read, or stop. */
enum step { STEP_OK, STEP_RETRY, STEP_PULLED, STEP_NOT_THAI, STEP_BUSY };

/* Is the same card still in? Waits up to wait_ms for pcscd to notice a removal
 * (it polls some readers), returning early on any change: no fixed sleep. */
static int card_still_there(struct sess *s, int wait_ms)
{
	SCARD_READERSTATE rs = {.szReader = s->reader, .dwCurrentState = SCARD_STATE_UNAWARE};
	LONG rv = SCardGetStatusChange(s->ctx, 0, &rs, 1);
	if (rv != SCARD_S_SUCCESS)
		return 0;
	for (;;) {
		DWORD ev = rs.dwEventState;
		if (!(ev & SCARD_STATE_PRESENT) || (ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) ||
		    (ev >> 16) != s->counter0)
			return 0;
		if (wait_ms <= 0)
			return 1;
		int64_t t0 = mono_ms();
		rs.dwCurrentState = ev & ~(DWORD)SCARD_STATE_CHANGED;
		rv = SCardGetStatusChange(s->ctx, (DWORD)wait_ms, &rs, 1);
		if (rv == SCARD_E_TIMEOUT)
			return 1;
		if (rv != SCARD_S_SUCCESS)
			return 0;
		wait_ms -= (int)(mono_ms() - t0);
	}
}

/* Maps a failed PC/SC call to what to do next. */
static enum step classify(struct sess *s, LONG rv)
{
	s->last_rv = rv;
	switch (rv) {
	case SCARD_W_REMOVED_CARD:
	case SCARD_E_NO_SMARTCARD:
	case SCARD_E_READER_UNAVAILABLE:
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		return STEP_PULLED;
	default:
		/* NOT_TRANSACTED, COMM_ERROR, a reset by someone else, a mute card:
		 * pcsc-lite reports a pull as any of these before it knows. */
		return card_still_there(s, RDR_SETTLE_MS) ? STEP_RETRY : STEP_PULLED;
	}
}

static void end_session(struct sess *s)
{
	if (s->in_tx)
		SCardEndTransaction(s->h, SCARD_LEAVE_CARD);
	if (s->connected)
		SCardDisconnect(s->h, SCARD_LEAVE_CARD);
	s->in_tx = s->connected = 0;
}

static void set_protocol(struct sess *s, DWORD proto)
{
	BYTE atr[MAX_ATR_SIZE];
	DWORD atrlen = sizeof atr, state = 0, p = 0, namelen = 0;

	s->pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	s->p2 = 0;
	if (SCardStatus(s->h, NULL, &namelen, &state, &p, atr, &atrlen) == SCARD_S_SUCCESS &&
	    atrlen >= 2 && atr[0] == 0x3B && atr[1] == 0x67)
		s->p2 = 1;
}

/* Connects, retrying while a just-inserted card is not ready or someone else holds it. */
static enum step connect_card(struct sess *s)
{
	int64_t until = mono_ms() + RDR_CONNECT_MS;
	DWORD proto = 0;

	for (;;) {
		LONG rv = SCardConnect(s->ctx, s->reader, SCARD_SHARE_SHARED,
				       SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &s->h, &proto);
		if (rv == SCARD_S_SUCCESS) {
			s->connected = 1;
			set_protocol(s, proto);
			return STEP_OK;
		}
		enum step st = classify(s, rv);
		if (st != STEP_RETRY)
			return st;
		if (mono_ms() >= until)
			return rv == SCARD_E_SHARING_VIOLATION ? STEP_BUSY : STEP_RETRY;
	}
}

static enum step transmit(struct sess *s, const uint8_t *cmd, size_t n, uint8_t *resp,
			  DWORD *rlen)
{
	*rlen = RDR_RECV_MAX;
	s->st->apdus++;
	LONG rv = SCardTransmit(s->h, s->pci, cmd, (DWORD)n, NULL, resp, rlen);
	if (rv != SCARD_S_SUCCESS)
		return classify(s, rv);
	/* pcsc-lite may report success with 0 bytes for a card that is going away. */
	if (*rlen < 2 || *rlen > RDR_RECV_MAX)
		return classify(s, SCARD_F_COMM_ERROR);
	return STEP_OK;
}

/* READ + GET RESPONSE of one range into out (len bytes). */
static enum step read_range(struct sess *s, uint16_t off, uint16_t len, uint8_t *out)
{
	uint8_t cmd[7] = {0x80, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, 0x02, 0x00, (uint8_t)len};
	uint8_t resp[RDR_RECV_MAX];
	DWORD rl;
	enum step st = transmit(s, cmd, sizeof cmd, resp, &rl);

	if (st)
		goto out;
	/* A reader that fetches the response itself (APDU-level CCID) answers data + 90 00. */
	if (rl == (DWORD)len + 2 && resp[len] == 0x90 && resp[len + 1] == 0x00) {
		memcpy(out, resp, len);
		goto out;
	}
	if (rl != 2 || resp[0] != 0x61 || resp[1] != (uint8_t)len) {
		st = classify(s, SCARD_F_COMM_ERROR);
		goto out;
	}
	uint8_t get[5] = {0x00, 0xC0, 0x00, s->p2, (uint8_t)len};
	st = transmit(s, get, sizeof get, resp, &rl);
	if (st)
		goto out;
	if (rl != (DWORD)len + 2 || resp[len] != 0x90 || resp[len + 1] != 0x00) {
		st = classify(s, SCARD_F_COMM_ERROR);
		goto out;
	}
	memcpy(out, resp, len);
out:
	explicit_bzero(resp, sizeof resp);
	return st;
}

/* One attempt on a connected card: transaction, SELECT, every field. */
static enum step read_fields(struct sess *s, struct idcard *card, int merge)
{
	struct chunk ch[RDR_MAX_CHUNKS];
	uint8_t buf[RDR_CHUNK_MAX], resp[RDR_RECV_MAX];
	DWORD rl;
	int n = make_chunks(ch, merge);
	enum step st;
	LONG rv = SCardBeginTransaction(s->h);

	if (rv != SCARD_S_SUCCESS)
		return classify(s, rv);
	s->in_tx = 1;
	st = transmit(s, select_apdu, sizeof select_apdu, resp, &rl);
	if (st)
		return st;
	uint8_t sw1 = resp[rl - 2], sw2 = resp[rl - 1];
	if (sw1 == 0x6A || sw1 == 0x6D || sw1 == 0x6E)
		return STEP_NOT_THAI; /* file/applet not found, INS/CLA unknown */
	if (!(sw1 == 0x61 || (sw1 == 0x90 && sw2 == 0x00)))
		return classify(s, SCARD_F_COMM_ERROR);
	for (int i = 0; i < n && !st; i++) {
		st = read_range(s, ch[i].off, ch[i].len, buf);
		for (int f = ch[i].first; !st && f <= ch[i].last; f++)
			if (idcard_set_field(card, (enum idcard_fid)f,
					     buf + (idcard_fields[f].offset - ch[i].off),
					     idcard_fields[f].len, NULL))
				st = STEP_RETRY;
	}
	explicit_bzero(buf, sizeof buf);
	if (!st && !idcard_complete(card))
		st = STEP_RETRY;
	return st;
}

/* Reads the card in `reader`, seen present with event counter counter0 at t0 (ms). */
static kst read_card(SCARDCONTEXT ctx, const char *reader, DWORD counter0, int64_t t0,
		     struct idcard *out, struct rdr_stats *st, enum rdr_fail *fail,
		     struct kerr *err)
{
	struct sess s = {.ctx = ctx, .reader = reader, .counter0 = counter0, .st = st};
	enum step r = STEP_RETRY;

	memset(st, 0, sizeof *st);
	idcard_wipe(out);
	for (int a = 0; a < RDR_READ_TRIES && r == STEP_RETRY; a++) {
		st->attempts++;
		if (!s.connected) {
			r = connect_card(&s);
		} else {
			/* A fresh start for the card (its state machine may be confused). */
			DWORD proto = 0;
			if (s.in_tx)
				SCardEndTransaction(s.h, SCARD_LEAVE_CARD);
			s.in_tx = 0;
			LONG rv = SCardReconnect(s.h, SCARD_SHARE_SHARED,
						 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
						 SCARD_RESET_CARD, &proto);
			r = rv == SCARD_S_SUCCESS ? STEP_OK : classify(&s, rv);
			if (!r)
				set_protocol(&s, proto);
		}
		if (r)
			continue;
		idcard_wipe(out);
		r = read_fields(&s, out, a == 0);
	}
	/* Once every field is in, a pull during the goodbye does not matter. */
	end_session(&s);
	st->ms = mono_ms() - t0;
	if (r == STEP_OK)
		return K_OK;
	idcard_wipe(out);
	*fail = r == STEP_PULLED    ? RDR_FAIL_PULLED
		: r == STEP_NOT_THAI ? RDR_FAIL_NOT_THAI
		: r == STEP_BUSY     ? RDR_FAIL_BUSY
				     : RDR_FAIL_UNREADABLE;
	return kerr_set(err, K_EDEVICE, "card reader '%s': %s (%s)", reader,
			rdr_fail_msg(*fail, "en"), rdr_fail_msg(*fail, "th"));
}

/* --- watching readers ---------------------------------------------------------- */

struct rstate {
	char name[RDR_NAME_MAX];
	DWORD cur;      /* last event state seen, fed back as dwCurrentState */
	int card_seen;  /* a card has been handled and not yet removed */
	DWORD counter;  /* event counter of that card */
	int base_known; /* one-shot read: base holds the counter of the first look */
	DWORD base;     /* pcscd counts insertions and removals: two counts from an
			 * empty first look mean a card came and, if empty now, went */
};

struct watch {
	SCARDCONTEXT ctx;
	int have_ctx;
	const char *filter;
	struct rstate r[RDR_MAX_READERS];
	int n;
	DWORD pnp_cur;
};

/* Re-lists the readers, keeping what is known about the ones still there. Readers
 * that left are returned in gone[] (for REMOVED events). Returns a PC/SC status. */
static LONG watch_relist(struct watch *w, struct rstate *gone, int *ngone)
{
	char *names = NULL;
	DWORD len = SCARD_AUTOALLOCATE;
	struct rstate old[RDR_MAX_READERS];
	int nold = w->n;
	LONG rv = SCardListReaders(w->ctx, NULL, (LPSTR)&names, &len);

	*ngone = 0;
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_NO_READERS_AVAILABLE)
		return rv;
	memcpy(old, w->r, sizeof old);
	w->n = 0;
	for (const char *p = names; rv == SCARD_S_SUCCESS && p && *p; p += strlen(p) + 1) {
		if (!name_matches(p, w->filter) || w->n >= RDR_MAX_READERS || strlen(p) >= RDR_NAME_MAX)
			continue;
		struct rstate *ns = &w->r[w->n++];
		memset(ns, 0, sizeof *ns);
		copy_name(ns->name, p);
		for (int i = 0; i < nold; i++)
			if (!strcmp(old[i].name, p)) {
				*ns = old[i];
				old[i].name[0] = 0;
			}
	}
	for (int i = 0; i < nold; i++)
		if (old[i].name[0])
			gone[(*ngone)++] = old[i];
	if (names)
		SCardFreeMemory(w->ctx, names);
	return SCARD_S_SUCCESS;
}

/* Waits for a change (timeout ms) and copies event states back into w->r[].ev via *evs. */
static LONG watch_wait(struct watch *w, DWORD timeout, DWORD evs[RDR_MAX_READERS], int *pnp_changed)
{
	SCARD_READERSTATE rs[RDR_MAX_READERS + 1];

	memset(rs, 0, sizeof rs);
	rs[0].szReader = PNP_NAME;
	rs[0].dwCurrentState = w->pnp_cur;
	for (int i = 0; i < w->n; i++) {
		rs[i + 1].szReader = w->r[i].name;
		rs[i + 1].dwCurrentState = w->r[i].cur;
	}
	LONG rv = SCardGetStatusChange(w->ctx, timeout, rs, (DWORD)w->n + 1);
	*pnp_changed = 0;
	if (rv != SCARD_S_SUCCESS)
		return rv;
	*pnp_changed = !!(rs[0].dwEventState & SCARD_STATE_CHANGED);
	w->pnp_cur = rs[0].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
	for (int i = 0; i < w->n; i++) {
		evs[i] = rs[i + 1].dwEventState;
		w->r[i].cur = evs[i] & ~(DWORD)SCARD_STATE_CHANGED;
	}
	return rv;
}

static int state_present(DWORD ev)
{
	return (ev & SCARD_STATE_PRESENT) &&
	       !(ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE));
}

/* --- one-shot read --------------------------------------------------------------- */

kst rdr_read_once(const char *reader, int64_t wait_ms, struct idcard *out,
		  char reader_used[RDR_NAME_MAX], struct rdr_stats *stp, struct kerr *err)
{
	struct watch w = {.filter = reader};
	struct rstate gone[RDR_MAX_READERS];
	struct rdr_stats stl;
	struct rdr_stats *st = stp ? stp : &stl;
	DWORD evs[RDR_MAX_READERS];
	int64_t until = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
	int ngone, pnp;
	kst rc;
	LONG rv;

	idcard_wipe(out);
	memset(st, 0, sizeof *st);
	if (reader_used)
		reader_used[0] = 0;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &w.ctx);
	if (rv != SCARD_S_SUCCESS)
		return kerr_set(err, K_EABSENT, "no card reader: the PC/SC service is not running (%s)",
				pcsc_stringify_error(rv));
	w.have_ctx = 1;
	for (int first = 1;; first = 0) {
		rv = watch_relist(&w, gone, &ngone);
		if (rv != SCARD_S_SUCCESS) {
			rc = kerr_set(err, K_EABSENT, "no card reader: %s", pcsc_stringify_error(rv));
			goto out;
		}
		int64_t left = until - mono_ms();
		if (left < 0)
			left = 0;
		/* The first look returns at once (every state UNAWARE); later ones block. */
		rv = watch_wait(&w, first ? 0 : (DWORD)left, evs, &pnp);
		if (rv == SCARD_E_UNKNOWN_READER)
			continue; /* a reader left between listing and waiting */
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
			rc = kerr_set(err, K_EABSENT, "no card reader: %s", pcsc_stringify_error(rv));
			goto out;
		}
		int64_t seen = mono_ms();
		for (int i = 0; rv == SCARD_S_SUCCESS && i < w.n; i++) {
			DWORD count = evs[i] >> 16;
			if (!state_present(evs[i])) {
				if (!w.r[i].base_known) {
					w.r[i].base = count;
					w.r[i].base_known = 1;
				} else if (((count - w.r[i].base) & 0xFFFF) >= 2 &&
					   !(evs[i] & SCARD_STATE_UNKNOWN)) {
					/* A card was inserted and pulled between two looks (a slow
					 * machine, a quick hand): it was there, so this is a failed
					 * read, not "no card". Nothing of it was read. It takes two
					 * counts (in, out): one alone is the late count of an earlier
					 * card's removal, which pcscd may show as empty before it
					 * counts it (after a failed reset of a pulled card). */
					enum rdr_fail fail = RDR_FAIL_PULLED;
					rc = kerr_set(err, K_EDEVICE, "card reader '%s': %s (%s)", w.r[i].name,
						      rdr_fail_msg(fail, "en"), rdr_fail_msg(fail, "th"));
					if (reader_used)
						copy_name(reader_used, w.r[i].name);
					goto out;
				}
				continue;
			}
			enum rdr_fail fail = RDR_FAIL_NONE;
			if (evs[i] & SCARD_STATE_MUTE) {
				fail = RDR_FAIL_UNREADABLE;
				rc = kerr_set(err, K_EDEVICE, "card reader '%s': %s (%s)", w.r[i].name,
					      rdr_fail_msg(fail, "en"), rdr_fail_msg(fail, "th"));
				goto out;
			}
			rc = read_card(w.ctx, w.r[i].name, evs[i] >> 16, seen, out, st, &fail, err);
			if (reader_used)
				copy_name(reader_used, w.r[i].name);
			goto out;
		}
		if (mono_ms() >= until && !first) {
			if (w.n == 0 && reader && *reader)
				rc = kerr_set(err, K_EABSENT, "no card reader named '%s'", reader);
			else if (w.n == 0)
				rc = kerr_set(err, K_EABSENT, "no card reader connected");
			else
				rc = kerr_set(err, K_EABSENT, "no card in %s within %lld s",
					      w.n == 1 ? w.r[0].name : "any card reader",
					      (long long)((wait_ms + 999) / 1000));
			goto out;
		}
	}
out:
	if (rc)
		idcard_wipe(out);
	SCardReleaseContext(w.ctx);
	return rc;
}

/* --- the watcher thread ---------------------------------------------------------- */

struct rdr {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* stop signal for the no-service back-off */
	int stop;
	SCARDCONTEXT ctx; /* valid while have_ctx; guarded by mu for SCardCancel */
	int have_ctx;
	char filter[RDR_NAME_MAX];
	void (*notify)(void *ctx);
	void *notify_ctx;
	struct rdr_event q[RDR_QUEUE_MAX];
	int qhead, qlen;
};

void rdr_event_wipe(struct rdr_event *ev)
{
	if (ev)
		explicit_bzero(ev, sizeof *ev);
}

static void post(struct rdr *r, struct rdr_event *ev)
{
	pthread_mutex_lock(&r->mu);
	if (r->stop) { /* nobody listens any more (and the notify target may be gone) */
		pthread_mutex_unlock(&r->mu);
		rdr_event_wipe(ev);
		return;
	}
	if (r->qlen == RDR_QUEUE_MAX) { /* a UI that does not poll gets the newest events */
		rdr_event_wipe(&r->q[r->qhead]);
		r->qhead = (r->qhead + 1) % RDR_QUEUE_MAX;
		r->qlen--;
	}
	r->q[(r->qhead + r->qlen) % RDR_QUEUE_MAX] = *ev;
	r->qlen++;
	pthread_mutex_unlock(&r->mu);
	rdr_event_wipe(ev);
	if (r->notify)
		r->notify(r->notify_ctx);
}

static void post_simple(struct rdr *r, enum rdr_ev_type type, const char *reader, int nreaders)
{
	struct rdr_event ev = {.type = type, .nreaders = nreaders};
	copy_name(ev.reader, reader);
	post(r, &ev);
}

int rdr_poll(struct rdr *r, struct rdr_event *ev)
{
	int got = 0;
	pthread_mutex_lock(&r->mu);
	if (r->qlen > 0) {
		*ev = r->q[r->qhead];
		rdr_event_wipe(&r->q[r->qhead]);
		r->qhead = (r->qhead + 1) % RDR_QUEUE_MAX;
		r->qlen--;
		got = 1;
	}
	pthread_mutex_unlock(&r->mu);
	return got;
}

static int stopping(struct rdr *r)
{
	pthread_mutex_lock(&r->mu);
	int s = r->stop;
	pthread_mutex_unlock(&r->mu);
	return s;
}

/* Sleeps up to ms unless asked to stop (pcscd absent: nothing to wait on). */
static void nap(struct rdr *r, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mu);
	while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&r->mu);
}

/* A card is in reader i (event state ev): report and read it. */
static void handle_card(struct rdr *r, struct watch *w, int i, DWORD ev)
{
	struct rdr_event e = {.type = RDR_EV_INSERTED};
	int64_t seen = mono_ms();
	struct rstate *rs = &w->r[i];

	copy_name(e.reader, rs->name);
	post(r, &e);
	e.type = RDR_EV_READ;
	copy_name(e.reader, rs->name);
	if (ev & SCARD_STATE_MUTE) {
		e.fail = RDR_FAIL_UNREADABLE;
		e.code = K_EDEVICE;
	} else {
		struct kerr err = {0};
		e.code = read_card(w->ctx, rs->name, ev >> 16, seen, &e.card, &e.stats, &e.fail, &err);
	}
	if (e.code) {
		e.type = RDR_EV_ERROR;
		idcard_wipe(&e.card);
		snprintf(e.msg_th, sizeof e.msg_th, "%s", rdr_fail_msg(e.fail, "th"));
		snprintf(e.msg_en, sizeof e.msg_en, "%s", rdr_fail_msg(e.fail, "en"));
	}
	post(r, &e);
	rs->card_seen = 1;
	rs->counter = ev >> 16;
}

static void drop_context(struct rdr *r, struct watch *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->r[i].card_seen)
			post_simple(r, RDR_EV_REMOVED, w->r[i].name, 0);
	pthread_mutex_lock(&r->mu);
	r->have_ctx = 0;
	SCardReleaseContext(w->ctx);
	pthread_mutex_unlock(&r->mu);
	w->n = 0;
	w->have_ctx = 0;
}

static void *watcher(void *arg)
{
	struct rdr *r = arg;
	struct watch w = {.filter = r->filter[0] ? r->filter : NULL};
	struct rstate gone[RDR_MAX_READERS];
	DWORD evs[RDR_MAX_READERS];
	int ngone, pnp, last_n = -1, fresh = 1;
	LONG rv;

	while (!stopping(r)) {
		if (!w.have_ctx) {
			SCARDCONTEXT c;
			rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &c);
			if (rv != SCARD_S_SUCCESS) {
				if (last_n != 0)
					post_simple(r, RDR_EV_READERS, NULL, last_n = 0);
				nap(r, RDR_SERVICE_RETRY_MS);
				continue;
			}
			pthread_mutex_lock(&r->mu);
			r->ctx = w.ctx = c;
			r->have_ctx = w.have_ctx = 1;
			pthread_mutex_unlock(&r->mu);
			w.pnp_cur = SCARD_STATE_UNAWARE;
			fresh = 1;
		}
		rv = watch_relist(&w, gone, &ngone);
		if (rv != SCARD_S_SUCCESS) {
			drop_context(r, &w);
			continue;
		}
		for (int i = 0; i < ngone; i++)
			if (gone[i].card_seen)
				post_simple(r, RDR_EV_REMOVED, gone[i].name, 0);
		if (w.n != last_n)
			post_simple(r, RDR_EV_READERS, NULL, last_n = w.n);
		rv = watch_wait(&w, fresh ? 0 : RDR_SLICE_MS, evs, &pnp);
		fresh = 0;
		if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED || rv == SCARD_E_UNKNOWN_READER)
			continue;
		if (rv != SCARD_S_SUCCESS) {
			drop_context(r, &w);
			continue;
		}
		for (int i = 0; i < w.n && !stopping(r); i++) {
			struct rstate *rs = &w.r[i];
			DWORD ev = evs[i];
			int present = state_present(ev);
			if (rs->card_seen && (!present || (ev >> 16) != rs->counter)) {
				/* Gone, or swapped between two looks (the counter moved). */
				post_simple(r, RDR_EV_REMOVED, rs->name, 0);
				rs->card_seen = 0;
			}
			if (present && !rs->card_seen)
				handle_card(r, &w, i, ev);
		}
	}
	if (w.have_ctx) {
		pthread_mutex_lock(&r->mu);
		r->have_ctx = 0;
		SCardReleaseContext(w.ctx);
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

kst rdr_start(struct rdr **out, const struct rdr_opts *o, struct kerr *err)
{
	struct rdr *r = calloc(1, sizeof *r);
	pthread_condattr_t ca;

	*out = NULL;
	if (!r)
		return kerr_set(err, K_EFAIL, "card reader: out of memory");
	if (o) {
		if (o->reader && strlen(o->reader) >= sizeof r->filter) {
			free(r);
			return kerr_set(err, K_EUSAGE, "card reader: name too long");
		}
		snprintf(r->filter, sizeof r->filter, "%s", o->reader ? o->reader : "");
		r->notify = o->notify;
		r->notify_ctx = o->notify_ctx;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cv, &ca);
	pthread_condattr_destroy(&ca);
	int e = pthread_create(&r->thread, NULL, watcher, r);
	if (e) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		free(r);
		return kerr_set(err, K_EFAIL, "card reader: cannot start its thread: %s", strerror(e));
	}
	*out = r;
	return K_OK;
}

void rdr_stop(struct rdr *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	/* Wakes a SCardGetStatusChange in progress; the slice bounds the race where the
	 * thread enters one just after this. */
	if (r->have_ctx)
		SCardCancel(r->ctx);
	pthread_mutex_unlock(&r->mu);
	/* SCardTransmit has no timeout: a driver that stopped answering keeps the thread.
	 * Then r is left to it (a small leak at exit) rather than hanging the kiosk's exit. */
	/* On the monotonic clock: a wall clock set back at boot (NTP) must not stretch it. */
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += RDR_STOP_WAIT_S;
	if (pthread_clockjoin_np(r->thread, NULL, CLOCK_MONOTONIC, &until)) {
		pthread_mutex_lock(&r->mu);
		explicit_bzero(r->q, sizeof r->q);
		r->qlen = 0;
		pthread_mutex_unlock(&r->mu);
		return;
	}
	explicit_bzero(r->q, sizeof r->q);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
