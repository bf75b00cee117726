/**
 * @file export.c
 * @brief CSV + JSON + SHA256SUMS export of ratings, written atomically (export.h).
 */
#include "core/export.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/fdio.h"
#include "core/rating.h"
#include "core/secret.h"

static const char *const file_names[EXPORT_FILES] = {"ratings.csv", "ratings.json", "SHA256SUMS"};

static const char *const csv_header[] = {
	"รหัส / id",
	"วันที่ / date",
	"เวลา / time",
	"บัตรคิว / ticket",
	"รหัสบริการ / service id",
	"บริการ / service",
	"ขั้นตอนการให้บริการ / process",
	"เจ้าหน้าที่ / staff",
	"สิ่งอำนวยความสะดวก / facilities",
	"ภาพรวม / overall",
	"เฉลี่ย / mean",
	"ความคิดเห็น / comment",
	"ภาษา / language",
	"ช่องทาง / source",
	"ผิดปกติ / flagged",
	"ส่งเขตแล้ว / uploaded",
};
#define CSV_COLS ((int)(sizeof csv_header / sizeof csv_header[0]))

void export_period(enum export_period p, int64_t now, char from[KCLOCK_DATE_MAX],
		   char until[KCLOCK_DATE_MAX])
{
	struct kdate d;
	kclock_bkk(now, &d);
	kclock_bkk_date(now, until);
	switch (p) {
	case EXPORT_TODAY:
		memcpy(from, until, KCLOCK_DATE_MAX);
		break;
	case EXPORT_THIS_MONTH:
		snprintf(from, KCLOCK_DATE_MAX, "%04d-%02d-01", d.year % 10000, d.month % 100);
		break;
	case EXPORT_LAST_MONTH: {
		int y = d.month == 1 ? d.year - 1 : d.year, m = d.month == 1 ? 12 : d.month - 1;
		snprintf(from, KCLOCK_DATE_MAX, "%04d-%02d-01", y % 10000, m % 100);
		snprintf(until, KCLOCK_DATE_MAX, "%04d-%02d-%02d", y % 10000, m % 100,
			 kclock_days_in_month(y, m) % 100);
		break;
	}
	case EXPORT_ALL:
		from[0] = 0;
		break;
	}
}

void export_buf_add(struct export_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void buf_str(struct export_buf *b, const char *s)
{
	export_buf_add(b, s, strlen(s));
}

void export_buf_free(struct export_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void export_csv_field(struct export_buf *b, const char *s)
{
	/* A cell Excel would read as a formula is made plain text. */
	int guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		    s[0] == '\r';
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		buf_str(b, s);
		return;
	}
	export_buf_add(b, "\"", 1);
	if (guard)
		export_buf_add(b, "'", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			export_buf_add(b, "\"\"", 2);
		else
			export_buf_add(b, p, 1);
	}
	export_buf_add(b, "\"", 1);
}

/* The message for a failed write, naming the likely cause in both languages. */
static kst io_err(struct kerr *err, int e, const char *path, long long need)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return kerr_set(err, K_EFAIL,
				"แฟลชไดรฟ์เต็ม ต้องการพื้นที่ประมาณ %lld KB กรุณาลบไฟล์หรือใช้อันอื่น / The USB"
				" drive is full (about %lld KB needed): free some space or use another"
				" drive (%s)", need / 1024 + 1, need / 1024 + 1, path);
	case EROFS:
		return kerr_set(err, K_EFAIL,
				"แฟลชไดรฟ์อ่านได้อย่างเดียว (ล็อกป้องกันการเขียน) กรุณาปลดล็อกหรือใช้อันอื่น /"
				" The USB drive is read-only (write-protected): unlock it or use another"
				" drive (%s)", path);
	case EACCES:
	case EPERM:
		return kerr_set(err, K_EFAIL,
				"ไม่มีสิทธิ์เขียนในโฟลเดอร์นี้ / No permission to write here (%s)", path);
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case EIO:
		return kerr_set(err, K_EFAIL,
				"เขียนไม่สำเร็จ แฟลชไดรฟ์อาจถูกถอดออก กรุณาเสียบใหม่แล้วลองอีกครั้ง / Writing"
				" failed: the USB drive may have been removed; plug it in and try again"
				" (%s: %s)", path, strerror(e));
	default:
		return kerr_set(err, K_EFAIL, "เขียนไฟล์ไม่สำเร็จ / Could not write %s: %s", path,
				strerror(e));
	}
}

/* Writes data to dirfd/tmp and fsyncs it. */
static int write_tmp(int dirfd, const char *tmp, const char *data, size_t len)
{
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return errno;
	if (fd_write_all(fd, data, len)) {
		int e = errno;
		close(fd);
		return e;
	}
	/* Delayed allocation reports a full or missing drive here, not in write(). */
	if (fsync(fd)) {
		int e = errno;
		close(fd);
		return e;
	}
	return close(fd) ? errno : 0;
}

static kst build(struct kstore *st, const struct kconfig *cfg, const char *from,
		 const char *until, struct export_buf *csv, struct export_buf *js, long *rows,
		 struct kerr *err)
{
	char iso[KCLOCK_ISO_MAX];
	json_t *root, *arr = json_array();
	sqlite3_stmt *s;

	export_buf_add(csv, "\xef\xbb\xbf", 3); /* BOM: Excel then reads UTF-8, not the ANSI code page */
	for (int i = 0; i < CSV_COLS; i++) {
		if (i)
			export_buf_add(csv, ",", 1);
		export_csv_field(csv, csv_header[i]);
	}
	export_buf_add(csv, "\r\n", 2);
	s = kstore_prep(st,
			"SELECT r.id, r.day, r.at, r.ticket, r.service, r.process, r.staff, r.facility,"
			" r.overall, IFNULL(r.comment,''), r.lang, r.source, r.misuse, IFNULL(o.state,'')"
			" FROM ratings r LEFT JOIN outbox o ON o.rating=r.id WHERE r.day BETWEEN ? AND ?"
			" ORDER BY r.at, r.id",
			"ss", from, until);
	if (!s) {
		json_decref(arr);
		return kstore_err(st, err, "reading ratings");
	}
	*rows = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		const char *day = (const char *)sqlite3_column_text(s, 1);
		int64_t at = sqlite3_column_int64(s, 2);
		const char *ticket = (const char *)sqlite3_column_text(s, 3);
		const char *svc = (const char *)sqlite3_column_text(s, 4);
		const char *comment = (const char *)sqlite3_column_text(s, 9);
		const char *lang = (const char *)sqlite3_column_text(s, 10);
		const char *source = (const char *)sqlite3_column_text(s, 11);
		int misuse = sqlite3_column_int(s, 12);
		int sent = !strcmp((const char *)sqlite3_column_text(s, 13), "sent");
		const struct kservice *k = kcatalog_find(&cfg->catalog, svc);
		int sc[RATING_DIMS], sum = 0;
		for (int d = 0; d < RATING_DIMS; d++)
			sum += sc[d] = sqlite3_column_int(s, 5 + d);
		kclock_iso(at, iso);
		const char *cells[CSV_COLS];
		char sv[RATING_DIMS][4], mean[16], time_s[6];
		for (int d = 0; d < RATING_DIMS; d++)
			snprintf(sv[d], sizeof sv[d], "%d", sc[d]);
		snprintf(mean, sizeof mean, "%.2f", sum / (double)RATING_DIMS);
		snprintf(time_s, sizeof time_s, "%.5s", iso + 11);
		cells[0] = id, cells[1] = day, cells[2] = time_s, cells[3] = ticket, cells[4] = svc;
		cells[5] = k ? k->name.th : svc;
		cells[6] = sv[0], cells[7] = sv[1], cells[8] = sv[2], cells[9] = sv[3], cells[10] = mean;
		cells[11] = comment, cells[12] = lang, cells[13] = source;
		cells[14] = misuse ? "1" : "0";
		cells[15] = sent ? "1" : "0";
		for (int i = 0; i < CSV_COLS; i++) {
			if (i)
				export_buf_add(csv, ",", 1);
			export_csv_field(csv, cells[i]);
		}
		export_buf_add(csv, "\r\n", 2);
		json_t *scores = json_object();
		for (int d = 0; d < RATING_DIMS; d++)
			json_object_set_new(scores, rating_dim_key((enum rating_dim)d), json_integer(sc[d]));
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:i, s:b}",
				       "id", id, "date", day, "at", iso, "ticket", ticket, "service", svc,
				       "service_name", k ? k->name.th : svc, "scores", scores,
				       "comment", comment, "lang", lang, "source", source, "flagged",
				       misuse != 0, "misuse", misuse, "uploaded", sent));
		(*rows)++;
	}
	sqlite3_finalize(s);
	kclock_iso(kclock_now(), iso);
	root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "office", cfg->office_code,
			 "office_name", cfg->office_name_th, "kiosk", cfg->kiosk_id, "from", from,
			 "until", until, "exported_at", iso, "count", (int)*rows, "ratings", arr);
	char *text = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
	json_decref(root);
	if (!text)
		return kerr_set(err, K_EFAIL, "out of memory building the export");
	buf_str(js, text);
	export_buf_add(js, "\n", 1);
	free(text);
	if (csv->oom || js->oom)
		return kerr_set(err, K_EFAIL, "out of memory building the export");
	return K_OK;
}

kst export_ratings(struct kstore *st, const struct kconfig *cfg, const char *dir,
		   const char *from, const char *until, struct export_result *out,
		   struct kerr *err)
{
	struct export_buf buf[EXPORT_FILES] = {{0}};
	char tmp[EXPORT_FILES][64], sum[65], line[160];
	int dirfd = -1, made = 0, y, m, d;
	struct stat sb;
	kst rc = K_OK;

	memset(out, 0, sizeof *out);
	if (until && *until) {
		if (kclock_parse_date(until, &y, &m, &d))
			return kerr_set(err, K_EUSAGE, "--until %.20s: not a date (YYYY-MM-DD)", until);
		snprintf(out->until, sizeof out->until, "%s", until);
	} else {
		kclock_bkk_date(kclock_now(), out->until);
	}
	if (from && *from) {
		if (kclock_parse_date(from, &y, &m, &d))
			return kerr_set(err, K_EUSAGE, "--from %.20s: not a date (YYYY-MM-DD)", from);
		snprintf(out->from, sizeof out->from, "%s", from);
	} else {
		/* Since the first rating (or today when there is none). */
		sqlite3_stmt *s = kstore_prep(st, "SELECT MIN(day) FROM ratings", "");
		if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
			snprintf(out->from, sizeof out->from, "%s", (const char *)sqlite3_column_text(s, 0));
		else
			snprintf(out->from, sizeof out->from, "%s", out->until);
		sqlite3_finalize(s);
	}
	if (strcmp(out->from, out->until) > 0)
		return kerr_set(err, K_EUSAGE, "the period starts (%s) after it ends (%s)", out->from,
				out->until);
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return io_err(err, errno ? errno : ENOTDIR, dir, 0);

	if ((rc = build(st, cfg, out->from, out->until, &buf[0], &buf[1], &out->rows, err)))
		goto out;
	for (int i = 0; i < 2; i++) {
		secret_sha256_hex(buf[i].p, buf[i].len, sum);
		snprintf(line, sizeof line, "%s  %s\n", sum, file_names[i]); /* sha256sum -c format */
		buf_str(&buf[2], line);
	}
	for (int i = 0; i < EXPORT_FILES; i++)
		out->bytes += (long long)buf[i].len;

	snprintf(out->folder, sizeof out->folder, "%s/kiosk-ratings_%s_%s_%s", dir, cfg->office_code,
		 out->from, out->until);
	if (mkdir(out->folder, 0755) && errno != EEXIST) {
		rc = io_err(err, errno, out->folder, out->bytes);
		goto out;
	}
	dirfd = open(out->folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		rc = io_err(err, errno, out->folder, out->bytes);
		goto out;
	}
	for (int i = 0; i < EXPORT_FILES; i++) {
		snprintf(tmp[i], sizeof tmp[i], ".%s.tmp-%d", file_names[i], (int)getpid());
		int e = write_tmp(dirfd, tmp[i], buf[i].p, buf[i].len);
		made = i + 1;
		if (e) {
			char path[EXPORT_PATH_MAX + 64];
			snprintf(path, sizeof path, "%s/%s", out->folder, file_names[i]);
			rc = io_err(err, e, path, out->bytes);
			goto out;
		}
	}
	/* Everything is on the stick. An earlier export of this period loses its
	 * manifest first, so the folder never passes as complete while its files
	 * are being replaced (and stays intact when writing failed above). */
	if (unlinkat(dirfd, file_names[2], 0) == 0 && fsync(dirfd)) {
		rc = io_err(err, errno, out->folder, out->bytes);
		goto out;
	}
	for (int i = 0; i < EXPORT_FILES; i++) {
		if (renameat(dirfd, tmp[i], dirfd, file_names[i])) {
			rc = io_err(err, errno, out->folder, out->bytes);
			goto out;
		}
		/* Two members of *out: gcc -O1 cannot tell they do not overlap. */
		char *dst = out->files[i];
		size_t fl = strlen(out->folder), nl = strlen(file_names[i]);
		if (fl + 1 + nl < EXPORT_PATH_MAX) {
			memcpy(dst, out->folder, fl);
			dst[fl] = '/';
			memcpy(dst + fl + 1, file_names[i], nl + 1);
		}
	}
	made = 0;
	if (fsync(dirfd)) {
		rc = io_err(err, errno, out->folder, out->bytes);
		goto out;
	}
	{
		/* The stick's own folder holds the new entry too. */
		int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (top >= 0) {
			fsync(top);
			close(top);
		}
	}
out:
	if (dirfd >= 0) {
		for (int i = 0; i < made; i++)
			unlinkat(dirfd, tmp[i], 0);
		close(dirfd);
	}
	if (rc && made > 0) {
		/* Leave no half export behind when the folder is now empty. */
		rmdir(out->folder);
	}
	for (int i = 0; i < EXPORT_FILES; i++)
		export_buf_free(&buf[i]);
	return rc;
}
