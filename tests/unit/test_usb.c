/* Removable-drive detection over a fake /proc and /sys: a USB stick's
 * partition, a USB disk reporting removable=0, an internal disk, escaped
 * mount points, a read-only mount. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/usb.h"
#include "tap.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char p[256], cmd[320];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
	if (system(cmd))
		exit(2);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

static void link_dev(const char *majmin, const char *target)
{
	char l[256], cmd[512];
	snprintf(l, sizeof l, "%s/sys/dev/block/%s", root, majmin);
	snprintf(cmd, sizeof cmd, "mkdir -p %s/sys/dev/block && ln -s ../../devices/%s %s", root,
		 target, l);
	if (system(cmd))
		exit(2);
}

int main(void)
{
	struct usb_mount m[USB_MOUNTS_MAX];
	struct kerr err;
	char cmd[128];

	snprintf(root, sizeof root, "/tmp/kiosk-tu.%d", (int)getpid());
	/* sdb: USB stick, partition sdb1, removable=1 */
	put("sys/devices/pci0000:00/usb1/1-1/host6/block/sdb/removable", "1\n");
	put("sys/devices/pci0000:00/usb1/1-1/host6/block/sdb/sdb1/partition", "1\n");
	link_dev("8:17", "pci0000:00/usb1/1-1/host6/block/sdb/sdb1");
	/* sdc: USB SSD, removable=0 but on the USB bus, whole-disk filesystem */
	put("sys/devices/pci0000:00/usb2/2-1/host7/block/sdc/removable", "0\n");
	link_dev("8:32", "pci0000:00/usb2/2-1/host7/block/sdc");
	/* sda: internal SATA disk */
	put("sys/devices/pci0000:00/ata1/host0/block/sda/removable", "0\n");
	put("sys/devices/pci0000:00/ata1/host0/block/sda/sda2/partition", "2\n");
	link_dev("8:2", "pci0000:00/ata1/host0/block/sda/sda2");
	put("proc/self/mountinfo",
	    "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
	    "23 22 0:21 / /proc rw,nosuid - proc proc rw\n"
	    "40 22 8:17 / /media/kiosk/KINGSTON\\040USB rw,nosuid,nodev,relatime shared:30 - vfat /dev/sdb1 rw,uid=1000\n"
	    "41 22 8:32 / /media/kiosk/SSD ro,relatime shared:31 - exfat /dev/sdc ro\n"
	    "42 22 8:2 /var /var rw,relatime - ext4 /dev/sda2 rw\n"
	    "garbage line without fields\n");
	int n = usb_list(root, m, USB_MOUNTS_MAX, &err);
	IS_INT(n, 2, "two removable mounts (the internal disk and /proc are not)");
	IS_STR(m[0].mountpoint, "/media/kiosk/KINGSTON USB", "an escaped space in the mount point is decoded");
	IS_STR(m[0].device, "sdb1", "device name");
	IS_STR(m[0].fstype, "vfat", "filesystem");
	IS_INT(m[0].readonly, 0, "writable");
	IS_STR(m[1].mountpoint, "/media/kiosk/SSD", "a USB disk with removable=0 counts (on the USB bus)");
	IS_INT(m[1].readonly, 1, "mounted read-only: said so");
	IS_INT(usb_list(root, m, 1, &err), 1, "at most max entries");
	IS_INT(usb_list("/nonexistent-root", m, USB_MOUNTS_MAX, &err), -1, "no mountinfo: -1");
	OK(strstr(err.msg, "mountinfo") != NULL, "with the path in the message");
	OK(usb_list("", m, USB_MOUNTS_MAX, &err) >= 0, "the real machine's list can be read");
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	if (system(cmd))
		return 2;
	return tap_done();
}
