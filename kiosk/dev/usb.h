/**
 * @file usb.h
 * @brief Finding USB sticks the staff plugged in, for the admin screen's export.
 *
 * A mount counts as removable when its block device (from
 * /proc/self/mountinfo's major:minor, through /sys/dev/block) is on a disk
 * whose `removable` flag is 1 or that hangs off a USB bus (USB SSDs and some
 * sticks report removable = 0). The appliance's auto-mounter (udisks or a
 * udev rule) does the mounting; this only looks.
 */
#ifndef KIOSK_USB_H
#define KIOSK_USB_H

#include "core/err.h"

#define USB_MOUNTS_MAX 8
#define USB_PATH_MAX 256
#define USB_MOUNTINFO_MAX (256 * 1024) /* bytes of mountinfo read */

struct usb_mount {
	char mountpoint[USB_PATH_MAX]; /* where to export to */
	char device[64];               /* "sdb1" */
	char fstype[32];               /* "vfat", "exfat", ... */
	int readonly;                  /* mounted ro (or the stick's lock is on) */
	unsigned long long free_bytes, total_bytes; /* 0 when unknown */
};

/* Lists removable mounts into out (at most max); returns how many, -1 when
 * mountinfo cannot be read (err says why). root prefixes /proc and /sys (""
 * normally; tests pass a folder holding a fake proc/ and sys/). */
int usb_list(const char *root, struct usb_mount *out, int max, struct kerr *err);

#endif
