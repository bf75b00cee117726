/* Signed ticket QR payloads and the device key: template rules, exact
 * signatures (checked against an independent HMAC), forgeries, scanner junk. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/hmac.h>

#include "core/qrpayload.h"
#include "core/secret.h"
#include "tap.h"

#define TPL "https://q.bangkhae.go.th/t?o={office}&d={date}&n={number}&s={sig}"

static char tmpdir[] = "/tmp/test_qrpayload.XXXXXX";

static void write_bytes(const char *path, const void *p, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd >= 0) {
		if (write(fd, p, n) != (ssize_t)n)
			perror("write");
		fchmod(fd, mode);
		close(fd);
	}
}

static void test_secret(void)
{
	char dir[256], path[300];
	uint8_t k1[32], k2[32], zero[32] = {0};
	struct kerr err = {0};
	struct stat st;

	snprintf(dir, sizeof dir, "%s/data", tmpdir);
	snprintf(path, sizeof path, "%s/device.key", dir);
	IS_INT(secret_load_or_create(dir, k1, &err), K_OK, "device key created in a new data folder");
	OK(stat(path, &st) == 0 && st.st_size == 32, "device.key holds 32 bytes");
	IS_INT(st.st_mode & 0777, 0600, "device.key mode is 0600");
	OK(memcmp(k1, zero, 32) != 0, "key is not all zero");
	IS_INT(secret_load_or_create(dir, k2, &err), K_OK, "second start loads it");
	OK(memcmp(k1, k2, 32) == 0, "same key the second time");

	/* No temporary files are left behind. */
	char cmd[400];
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
	IS_INT(system(cmd), 0, "only device.key in the data folder");

	chmod(path, 0640);
	IS_INT(secret_load_or_create(dir, k2, &err), K_EUSAGE, "group-readable key refused");
	OK(strstr(err.msg, "chmod 600") && strstr(err.msg, "device.key"), "message says what to do: %s",
	   err.msg);
	chmod(path, 0604);
	IS_INT(secret_load(path, k2, &err), K_EUSAGE, "other-readable key refused");
	chmod(path, 0600);

	write_bytes(path, k1, 31, 0600);
	IS_INT(secret_load_or_create(dir, k2, &err), K_EUSAGE, "31-byte key refused, not replaced");
	OK(strstr(err.msg, "31 bytes") != NULL, "message names the size: %s", err.msg);
	OK(stat(path, &st) == 0 && st.st_size == 31, "bad key file left for staff to inspect");
	uint8_t k33[33] = {0};
	write_bytes(path, k33, sizeof k33, 0600);
	IS_INT(secret_load(path, k2, &err), K_EUSAGE, "33-byte key refused");
	unlink(path);

	char target[300];
	snprintf(target, sizeof target, "%s/elsewhere", tmpdir);
	write_bytes(target, k1, 32, 0600);
	if (symlink(target, path) != 0)
		perror("symlink");
	IS_INT(secret_load_or_create(dir, k2, &err), K_EUSAGE, "symlinked key refused");
	unlink(path);
	IS_INT(secret_load(path, k2, &err), K_EABSENT, "missing key: absent");

	/* Four processes starting at once all end up with one key. */
	snprintf(dir, sizeof dir, "%s/race", tmpdir);
	int fds[4][2];
	for (int i = 0; i < 4; i++) {
		if (pipe(fds[i]) != 0)
			return;
		if (fork() == 0) {
			uint8_t k[32];
			int rc = secret_load_or_create(dir, k, NULL);
			if (write(fds[i][1], k, 32) != 32)
				_exit(9);
			_exit(rc);
		}
		close(fds[i][1]);
	}
	uint8_t ks[4][32];
	int all_ok = 1;
	for (int i = 0; i < 4; i++) {
		int stt;
		if (read(fds[i][0], ks[i], 32) != 32)
			all_ok = 0;
		close(fds[i][0]);
		wait(&stt);
		if (!WIFEXITED(stt) || WEXITSTATUS(stt) != 0)
			all_ok = 0;
	}
	OK(all_ok, "four racing processes all succeed");
	OK(!memcmp(ks[0], ks[1], 32) && !memcmp(ks[0], ks[2], 32) && !memcmp(ks[0], ks[3], 32),
	   "and share one key");

	/* Subkeys differ per label and from the key itself. */
	uint8_t a[32], b[32];
	secret_derive(k1, "ticket-qr-v1", a);
	secret_derive(k1, "citizen-id-v1", b);
	OK(memcmp(a, b, 32) && memcmp(a, k1, 32), "derived subkeys are independent");
}

/* The reference: HMAC-SHA256 via OpenSSL directly, RFC 4648 base32. */
static void ref_sig(const uint8_t key[32], const char *msg, char out[11])
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint8_t sub[32], mac[32];
	unsigned n = 32;
	HMAC(EVP_sha256(), key, 32, (const uint8_t *)"ticket-qr-v1", 12, sub, &n);
	HMAC(EVP_sha256(), sub, 32, (const uint8_t *)msg, strlen(msg), mac, &n);
	int bit = 0;
	for (int i = 0; i < 10; i++) {
		int v = 0;
		for (int j = 0; j < 5; j++, bit++)
			v = v << 1 | ((mac[bit / 8] >> (7 - bit % 8)) & 1);
		out[i] = b32[v];
	}
	out[10] = 0;
}

static void test_template(void)
{
	struct kerr err = {0};
	struct {
		const char *t;
		int ok;
		const char *why;
	} cases[] = {
		{TPL, 1, "the documented template"},
		{"{office}/{date}/{number}/{sig}", 1, "path form"},
		{"T:{office}:{kiosk}:{date}:{number}:{sig}", 1, "with {kiosk}"},
		{"https://x/t?o={office}&d={date}&n={number}", 0, "no {sig}"},
		{"https://x/t?d={date}&n={number}&s={sig}", 0, "no {office}"},
		{"x/{office}/{date}/{number}/{sig}/{foo}", 0, "unknown placeholder"},
		{"x/{office}/{date}/{number}/{sig}/{office}", 0, "placeholder twice"},
		{"x/{office}/{date}/{number}{sig}", 0, "placeholders touching"},
		{"x/{office}/{date}/{number}A/{sig}", 0, "literal continues a value"},
		{"x/{office}/{date}-x/{number}/{sig}", 0, "dash after date"},
		{"x y/{office}/{date}/{number}/{sig}", 0, "space"},
		{"x/{office}/{date}/{number}/{sig}}", 0, "stray brace"},
		{"x/{office/{date}/{number}/{sig}", 0, "unclosed brace"},
		{"", 0, "empty"},
		{"x/{office}/{date}/{number}/{sig}/\xe0\xb8\x81", 0, "non-ASCII"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kst rc = qrp_check_template(cases[i].t, &err);
		OK(cases[i].ok ? rc == K_OK : rc == K_EUSAGE, "template %s: %s%s%s", cases[i].why,
		   cases[i].ok ? "accepted" : "refused", cases[i].ok ? "" : " - ", cases[i].ok ? "" : err.msg);
	}
	char big[QRP_TEMPLATE_MAX + 40];
	memset(big, 'a', sizeof big);
	strcpy(big + QRP_TEMPLATE_MAX - 10, "{office}/{date}/{number}/{sig}");
	IS_INT(qrp_check_template(big, &err), K_EUSAGE, "template over %d bytes refused", QRP_TEMPLATE_MAX);
}

static kst scan_str(const struct qrp *q, const char *s, const struct qrp_expect *ex, struct qrp_scan *out)
{
	return qrp_scan(q, s, strlen(s), ex, out, NULL);
}

static void test_payload(void)
{
	uint8_t key[32], key2[32];
	struct qrp q, q2;
	struct kerr err = {0};
	char out[QRP_PAYLOAD_MAX + 1], want[QRP_PAYLOAD_MAX + 1], sig[11];
	struct qrp_scan s;

	for (int i = 0; i < 32; i++) {
		key[i] = (uint8_t)i;
		key2[i] = (uint8_t)(i + 1);
	}
	IS_INT(qrp_init(&q, TPL, key, &err), K_OK, "init with the documented template");
	qrp_init(&q2, TPL, key2, &err);

	struct qrp_ticket t = {"bangkhae", "kiosk-1", "2026-11-24", "A023"};
	IS_INT(qrp_make(&q, &t, out, &err), K_OK, "payload made");
	ref_sig(key, "bangkhae|2026-11-24|A023", sig);
	snprintf(want, sizeof want, "https://q.bangkhae.go.th/t?o=bangkhae&d=2026-11-24&n=A023&s=%s", sig);
	IS_STR(out, want, "payload = template with fields and the reference HMAC signature");
	char sig2[11];
	qrp_sign(&q, "bangkhae", "2026-11-24", "A023", sig2);
	IS_STR(sig2, sig, "qrp_sign agrees with the reference");
	IS_INT(strlen(sig), QRP_SIG_LEN, "signature is %d characters", QRP_SIG_LEN);

	struct qrp qk;
	qrp_init(&qk, "T:{office}:{kiosk}:{date}:{number}:{sig}", key, &err);
	IS_INT(qrp_make(&qk, &t, out, &err), K_OK, "payload with {kiosk}");
	snprintf(want, sizeof want, "T:bangkhae:kiosk-1:2026-11-24:A023:%s", sig);
	IS_STR(out, want, "kiosk id filled in, signature unchanged (kiosk is not signed)");
	struct qrp_ticket nokiosk = t;
	nokiosk.kiosk[0] = 0;
	IS_INT(qrp_make(&qk, &nokiosk, out, &err), K_EUSAGE, "{kiosk} without a kiosk id refused");

	struct qrp_ticket bad;
	bad = t; strcpy(bad.office, "Bang Khae");
	IS_INT(qrp_make(&q, &bad, out, &err), K_EUSAGE, "office id with a space refused");
	bad = t; strcpy(bad.date, "2026-02-30");
	IS_INT(qrp_make(&q, &bad, out, &err), K_EUSAGE, "impossible date refused");
	bad = t; strcpy(bad.number, "A02x");
	IS_INT(qrp_make(&q, &bad, out, &err), K_EUSAGE, "malformed number refused");
	bad = t; strcpy(bad.number, "a023");
	IS_INT(qrp_make(&q, &bad, out, &err), K_EUSAGE, "lower-case number refused (not canonical)");

	/* Scanning our own payload. */
	qrp_make(&q, &t, out, &err);
	IS_INT(scan_str(&q, out, NULL, &s), K_OK, "own payload verifies");
	IS_INT(s.kind, QRP_TICKET, "kind: ticket");
	IS_STR(s.t.office, "bangkhae", "office read back");
	IS_STR(s.t.date, "2026-11-24", "date read back");
	IS_STR(s.t.number, "A023", "number read back");
	char line[QRP_PAYLOAD_MAX + 3];
	snprintf(line, sizeof line, "%s\r\n", out);
	IS_INT(scan_str(&q, line, NULL, &s), K_OK, "scanner's CR LF suffix ignored");
	snprintf(line, sizeof line, "%s\n\n", out);
	IS_INT(scan_str(&q, line, NULL, &s), K_EFAIL, "two line ends: junk");
	struct qrp_expect ex = {"bangkhae", "2026-11-24"};
	IS_INT(scan_str(&q, out, &ex, &s), K_OK, "expected office and date match");

	/* Another office / day, genuinely signed by this kiosk. */
	ex.office = "nongkhaem";
	IS_INT(scan_str(&q, out, &ex, &s), K_EFAIL, "ticket of another office refused");
	IS_INT(s.reason, QRP_R_WRONG_OFFICE, "reason: wrong office");
	ex.office = "bangkhae";
	ex.date = "2026-11-25";
	IS_INT(scan_str(&q, out, &ex, &s), K_EFAIL, "yesterday's ticket refused");
	IS_INT(s.reason, QRP_R_WRONG_DATE, "reason: wrong date");

	/* Forgeries: change any signed field, keep the signature. */
	struct {
		const char *from, *to, *why;
	} alter[] = {
		{"n=A023", "n=A024", "number +1"},
		{"n=A023", "n=B023", "other service"},
		{"n=A023", "n=A0230", "number extended"},
		{"d=2026-11-24", "d=2026-11-25", "other date"},
		{"o=bangkhae", "o=bangkhaf", "other office"},
	};
	for (size_t i = 0; i < sizeof alter / sizeof alter[0]; i++) {
		char f[QRP_PAYLOAD_MAX + 1];
		const char *p = strstr(out, alter[i].from);
		snprintf(f, sizeof f, "%.*s%s%s", (int)(p - out), out, alter[i].to, p + strlen(alter[i].from));
		kst rc = scan_str(&q, f, NULL, &s);
		OK(rc == K_EFAIL && s.kind == QRP_JUNK && s.reason == QRP_R_BAD_SIG, "forged (%s) rejected: %s",
		   alter[i].why, qrp_reason_str(s.reason));
	}
	/* Every single-character change of the signature fails, first to last. */
	int all = 1;
	size_t so = strlen(out) - QRP_SIG_LEN;
	for (int i = 0; i < QRP_SIG_LEN; i++) {
		char f[QRP_PAYLOAD_MAX + 1];
		strcpy(f, out);
		f[so + i] = f[so + i] == 'A' ? 'B' : 'A';
		if (scan_str(&q, f, NULL, &s) != K_EFAIL || s.reason != QRP_R_BAD_SIG)
			all = 0;
	}
	OK(all, "each of the %d signature positions altered: rejected", QRP_SIG_LEN);
	/* Guessing: 20000 random signatures for A024, none verifies. */
	int hits = 0;
	srand(42);
	for (int i = 0; i < 20000; i++) {
		char f[QRP_PAYLOAD_MAX + 1];
		snprintf(f, sizeof f, "https://q.bangkhae.go.th/t?o=bangkhae&d=2026-11-24&n=A024&s=");
		size_t l = strlen(f);
		for (int j = 0; j < QRP_SIG_LEN; j++)
			f[l + j] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[rand() % 32];
		f[l + QRP_SIG_LEN] = 0;
		hits += scan_str(&q, f, NULL, &s) == K_OK;
	}
	IS_INT(hits, 0, "20000 guessed signatures: none accepted");
	IS_INT(scan_str(&q2, out, NULL, &s), K_EFAIL, "ticket of another kiosk's key rejected");
	IS_INT(s.reason, QRP_R_BAD_SIG, "reason: bad signature");
	char lower[QRP_PAYLOAD_MAX + 1];
	strcpy(lower, out);
	for (size_t i = so; i < strlen(lower); i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] + 32);
	IS_INT(scan_str(&q, lower, NULL, &s), K_EFAIL, "lower-cased signature rejected");

	/* Truncated: every proper prefix is junk. */
	all = 1;
	for (size_t n = 0; n < strlen(out); n++)
		if (qrp_scan(&q, out, n, NULL, &s, NULL) != K_EFAIL || s.kind != QRP_JUNK)
			all = 0;
	OK(all, "all %zu truncations of a ticket are junk", strlen(out));
	snprintf(line, sizeof line, "%sA", out);
	IS_INT(scan_str(&q, line, NULL, &s), K_EFAIL, "one character appended: junk");

	/* Junk from the scanner. */
	IS_INT(qrp_scan(&q, NULL, 0, NULL, &s, &err), K_EFAIL, "NULL scan: junk");
	IS_INT(qrp_scan(&q, "", 0, NULL, &s, &err), K_EFAIL, "empty scan: junk");
	IS_INT(s.reason, QRP_R_EMPTY, "reason: empty");
	IS_INT(scan_str(&q, "\r\n", NULL, &s), K_EFAIL, "only a line end: junk");
	IS_INT(s.reason, QRP_R_EMPTY, "reason: empty");
	char *bigbuf = malloc(10240);
	memcpy(bigbuf, out, strlen(out));
	memset(bigbuf + strlen(out), 'A', 10240 - strlen(out));
	IS_INT(qrp_scan(&q, bigbuf, 10240, NULL, &s, &err), K_EFAIL, "10 KB scan: junk");
	IS_INT(s.reason, QRP_R_TOO_LONG, "reason: too long");
	IS_INT(qrp_scan(&q, bigbuf, QRP_PAYLOAD_MAX + 1, NULL, &s, &err), K_EFAIL, "%d bytes: junk",
	       QRP_PAYLOAD_MAX + 1);
	free(bigbuf);
	const char *ctl[] = {"A0\t23", "A023\x1b[0m", "https://q.bangkhae.go.th/t?o=bangkhae\x7f", "A023\r\r\n"};
	for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++) {
		scan_str(&q, ctl[i], NULL, &s);
		IS_INT(s.reason, QRP_R_CONTROL, "control character %zu refused", i);
	}
	char nul[] = "A0\0" "23";
	IS_INT(qrp_scan(&q, nul, 5, NULL, &s, NULL), K_EFAIL, "embedded NUL refused");
	IS_INT(s.reason, QRP_R_CONTROL, "reason: control");
	IS_INT(scan_str(&q, "\xe0\xb8\x81\xe0\xb8\x82", NULL, &s), K_EFAIL, "Thai text (UTF-8) refused");
	IS_INT(scan_str(&q, "https://example.com/", NULL, &s), K_EFAIL, "some other QR refused");
	IS_INT(s.reason, QRP_R_NOT_TICKET, "reason: not a ticket");
	IS_INT(scan_str(&q, "https://q.bangkhae.go.th/t?o=bangkhae&d=2026-13-01&n=A023&s=AAAAAAAAAA", NULL, &s),
	       K_EFAIL, "month 13 refused");
	IS_INT(s.reason, QRP_R_BAD_FIELD, "reason: bad field");
	IS_INT(scan_str(&q, "https://q.bangkhae.go.th/t?o=&d=2026-11-24&n=A023&s=AAAAAAAAAA", NULL, &s),
	       K_EFAIL, "empty office refused");
	/* Random binary: never accepted, never crashes (ASan build checks reads). */
	int accepted = 0;
	uint8_t rnd[700];
	for (int i = 0; i < 5000; i++) {
		size_t n = (size_t)(rand() % (int)sizeof rnd);
		for (size_t j = 0; j < n; j++)
			rnd[j] = (uint8_t)rand();
		accepted += qrp_scan(&q, rnd, n, NULL, &s, NULL) == K_OK && s.kind == QRP_TICKET;
	}
	IS_INT(accepted, 0, "5000 random binary scans: no ticket accepted");

	/* Typed numbers. */
	struct {
		const char *in, *want;
	} nums[] = {
		{"A023", "A023"}, {"a23", "A023"}, {" B7 ", "B007"}, {"AB1234", "AB1234"},
		{"abc12", "ABC012"}, {"A023\n", "A023"},
		{"A12345", NULL}, {"ABCD1", NULL}, {"A", NULL}, {"123", NULL}, {"A-23", NULL}, {"A 23", NULL},
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		kst rc = scan_str(&q, nums[i].in, NULL, &s);
		if (nums[i].want)
			OK(rc == K_OK && s.kind == QRP_NUMBER && !strcmp(s.t.number, nums[i].want),
			   "typed #%zu -> number %s (got %s)", i, nums[i].want, s.t.number);
		else
			OK(rc == K_EFAIL && s.kind == QRP_JUNK, "typed #%zu '%s' is not a number", i, nums[i].in);
	}
	OK(qrp_valid_number("A023") && !qrp_valid_number("A") && !qrp_valid_number("a023"),
	   "qrp_valid_number");
	qrp_wipe(&q);
	qrp_wipe(&q2);
	qrp_wipe(&qk);
	int wiped = 1;
	for (int i = 0; i < 32; i++)
		wiped &= q.key[i] == 0;
	OK(wiped, "qrp_wipe clears the signing key");
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	umask(022);
	test_secret();
	test_template();
	test_payload();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
