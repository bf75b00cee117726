/**
 * @file usb.c
 * @brief Removable mounts from mountinfo and sysfs (see usb.h).
 */
#include "dev/usb.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int read_flag(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = 0;
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Is block device maj:min on a removable or USB disk? Fills the device name. */
static int removable(const char *root, const char *majmin, char *dev, size_t devcap)
{
	char link[USB_PATH_MAX + 64], real[PATH_MAX], probe[PATH_MAX + 32];
	snprintf(link, sizeof link, "%s/sys/dev/block/%s", root, majmin);
	if (!realpath(link, real))
		return 0;
	const char *base = strrchr(real, '/');
	snprintf(dev, devcap, "%s", base ? base + 1 : real);
	/* A partition's disk is its parent folder. */
	snprintf(probe, sizeof probe, "%s/partition", real);
	if (read_flag(probe) > 0) {
		char *slash = strrchr(real, '/');
		if (slash)
			*slash = 0;
	}
	snprintf(probe, sizeof probe, "%s/removable", real);
	return read_flag(probe) == 1 || strstr(real, "/usb") != NULL;
}

int usb_list(const char *root, struct usb_mount *out, int max, struct kerr *err)
{
	char path[USB_PATH_MAX + 32], line[4096];
	int n = 0;
	FILE *f;
	long total = 0;

	snprintf(path, sizeof path, "%s/proc/self/mountinfo", root ? root : "");
	f = fopen(path, "r");
	if (!f) {
		kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (n < max && fgets(line, sizeof line, f)) {
		char majmin[32], mnt[USB_PATH_MAX], opts[256], fstype[32], *dash;
		total += (long)strlen(line);
		if (total > USB_MOUNTINFO_MAX)
			break;
		/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
		if (sscanf(line, "%*s %*s %31s %*s %255s %255s", majmin, mnt, opts) != 3)
			continue;
		dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%31s", fstype) != 1)
			continue;
		unescape(mnt);
		if (!strcmp(mnt, "/") || !strncmp(mnt, "/boot", 5))
			continue;
		struct usb_mount *u = &out[n];
		memset(u, 0, sizeof *u);
		if (!removable(root ? root : "", majmin, u->device, sizeof u->device))
			continue;
		snprintf(u->mountpoint, sizeof u->mountpoint, "%s", mnt);
		snprintf(u->fstype, sizeof u->fstype, "%s", fstype);
		u->readonly = !strncmp(opts, "ro", 2) && (opts[2] == ',' || !opts[2]);
		if (!root || !*root) {
			struct statvfs v;
			if (!statvfs(mnt, &v)) {
				u->free_bytes = (unsigned long long)v.f_bavail * v.f_frsize;
				u->total_bytes = (unsigned long long)v.f_blocks * v.f_frsize;
				u->readonly |= (v.f_flag & ST_RDONLY) != 0;
			}
		}
		n++;
	}
	fclose(f);
	return n;
}
