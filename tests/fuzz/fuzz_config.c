/* Fuzz target: the configuration loaders (services.json and kiosk.conf) on
 * any bytes. They must report problems, never crash or read out of bounds. */
#include <stdint.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcatalog cat;
	struct kconfig cfg;
	struct kdiag d;

	memset(&d, 0, sizeof d);
	kcatalog_parse("services.json", (const char *)data, size, &cat, &d);
	kcatalog_free(&cat);
	memset(&d, 0, sizeof d);
	kconfig_parse_ini("kiosk.conf", (const char *)data, size, &cfg, &d);
	return 0;
}
