/**
 * @file pcsc_wait.c
 * @brief Test helper: waits until a PC/SC reader is empty or holds a card, or lists readers.
 *
 *   pcsc_wait list                      one reader name a line; exit 3 when none
 *   pcsc_wait empty|present READER MS   exit 0 when the state is reached within MS, else 3
 *
 * Tests use it between two virtual cards: pcscd notices a removal only when it next
 * polls the reader, and a read started before that would see the old card. "empty"
 * also waits until pcscd has counted the removal (see below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <winscard.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	SCARDCONTEXT ctx;
	int rc = 3;

	if (argc < 2 || (strcmp(argv[1], "list") && argc != 4)) {
		fprintf(stderr, "usage: pcsc_wait list | pcsc_wait empty|present READER MS\n");
		return 2;
	}
	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) != SCARD_S_SUCCESS) {
		fprintf(stderr, "pcsc_wait: no PC/SC service\n");
		return 3;
	}
	if (!strcmp(argv[1], "list")) {
		char *names = NULL;
		DWORD len = SCARD_AUTOALLOCATE;
		if (SCardListReaders(ctx, NULL, (LPSTR)&names, &len) == SCARD_S_SUCCESS) {
			for (char *p = names; *p; p += strlen(p) + 1)
				puts(p);
			SCardFreeMemory(ctx, names);
			rc = 0;
		}
		SCardReleaseContext(ctx);
		return rc;
	}
	int want_present = !strcmp(argv[1], "present");
	long long until = now_ms() + atoll(argv[3]);
	SCARD_READERSTATE rs = {.szReader = argv[2], .dwCurrentState = SCARD_STATE_UNAWARE};
	for (;;) {
		long long left = until - now_ms();
		LONG rv = SCardGetStatusChange(ctx, rs.dwCurrentState ? (DWORD)(left > 0 ? left : 0) : 0,
					       &rs, 1);
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
			break;
		int present = !!(rs.dwEventState & SCARD_STATE_PRESENT);
		/* pcscd counts each insertion and removal (the count starts at 0 with no
		 * card). After a failed reset of a pulled card it shows the reader empty
		 * before it has counted the removal; a card inserted then would never be
		 * seen. Empty counts only once the count is even again. */
		int settled = present || !((rs.dwEventState >> 16) & 1);
		if (present == want_present && settled) {
			rc = 0;
			break;
		}
		if (rv == SCARD_E_TIMEOUT || left <= 0)
			break;
		rs.dwCurrentState = rs.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
	}
	SCardReleaseContext(ctx);
	return rc;
}
