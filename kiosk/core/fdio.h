/**
 * @file fdio.h
 * @brief Whole reads and writes on a file descriptor: the one loop over short
 * transfers and EINTR, for the files the kiosk writes itself (device key, exports,
 * open data, the compiled catalogue).
 */
#ifndef KIOSK_FDIO_H
#define KIOSK_FDIO_H

#include <stddef.h>

/* Reads exactly n bytes: 0, or -1 with errno set (EIO when the file ends first). */
int fd_read_all(int fd, void *buf, size_t n);
/* Writes all n bytes: 0, or -1 with errno set (EIO when write() makes no progress,
 * which a regular file should never do: never spin on it). */
int fd_write_all(int fd, const void *buf, size_t n);

#endif
