/**
 * @file catalog_cache.h
 * @brief A compiled copy of services.json, so a short command does not parse it.
 *
 * Parsing and validating the 74 KB catalogue with jansson is about 3 ms of a 12 ms
 * `kiosk ticket` (thousands of small allocations on a cold process). The first
 * command after an edit parses it as always and writes the result, flattened into one
 * block with offsets for pointers, to a file in the data folder; the next ones read
 * that block with one read() and turn the offsets back into pointers.
 *
 * The copy is used only when it provably belongs to this services.json and to this
 * build: the file's device, inode, size, modification and change times (ns), the
 * parser's build stamp and the structures' sizes must all match, and a checksum must
 * hold. Anything else (an edit, another config folder, a torn or planted file, a new
 * binary) is a miss: the JSON is parsed, and every problem is reported as before.
 * Failing to write the copy costs nothing but the next command's parse.
 *
 * The catalogue is public information (the citizen's manual): nothing personal here.
 */
#ifndef KIOSK_CATALOG_CACHE_H
#define KIOSK_CATALOG_CACHE_H

#include "core/catalog.h"

#define KCAT_CACHE_FILE "catalog.cache" /* in the data folder */
/* A compiled catalogue is about the size of its JSON; refuse anything far larger. */
#define KCAT_CACHE_MAX (2 * KCAT_FILE_MAX)

/* kcatalog_load() through the compiled copy at cache_path (NULL: no copy). Sets *hit
 * (when not NULL) to 1 when the copy was used. Same result and diagnostics as
 * kcatalog_load(); free with kcatalog_free(). */
kst kcatalog_load_cached(const char *json_path, const char *cache_path, struct kcatalog *cat,
			 struct kdiag *diag, int *hit);

#endif
