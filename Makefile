# The kiosk appliance. `make run` and `make test` are the whole set-up on Debian 12:
# they install missing Debian packages and the Sarabun font, build, and run.
#
# Layers (see README "Module map"): kiosk/core is compiled with only the core
# libraries' flags, so it cannot pull in SDL or a device library by accident.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=

# Nettle, not OpenSSL, for the core's HMAC/SHA-256/PBKDF2: no config or provider loading,
# ~50 µs per process against OpenSSL 3's ~2.5 ms (issue 15's CLI ticket rate).
CORE_PKGS := sqlite3 jansson nettle
DEV_PKGS  := libpcsclite libqrencode libcurl libsystemd libpng
UI_PKGS   := sdl2 SDL2_ttf libthai
NET_PKGS  := libmicrohttpd
# The district collector (kiosk/collector): PostgreSQL's client library. Linked into the
# one binary for now (simplest); only cmd_collector.c calls it.
COLLECTOR_PKGS := libpq
# libcrypto: libcurl's TLS already loads it; the tests also use it as an independent
# HMAC to check Nettle's signatures against.
ALL_PKGS  := $(CORE_PKGS) $(DEV_PKGS) $(UI_PKGS) $(NET_PKGS) $(COLLECTOR_PKGS) libcrypto

# Debian packages for building, running and testing (pcscd + vpcd only for tests:
# never install vpcd on the appliance image, it accepts any connection).
APT_BUILD := build-essential pkg-config libsqlite3-dev libjansson-dev nettle-dev libssl-dev \
	libpcsclite-dev libqrencode-dev libcurl4-openssl-dev libsdl2-dev libsdl2-ttf-dev \
	libsdl2-image-dev libthai-dev libmicrohttpd-dev libpng-dev libsystemd-dev libpq-dev fonts-thai-tlwg ca-certificates
APT_TEST  := pcscd vsmartcard-vpcd zbar-tools pango1.0-tools sqlite3 python3 curl \
	espeak-ng imagemagick procps hyperfine valgrind chromium sox apache2-utils xvfb time gdb \
	faketime stress-ng poppler-utils postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

CFLAGS ?= -O2 -g
VERSION := 0.1.0
KCFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-unused-parameter -Wno-format-truncation -Ikiosk -MMD -MP
# -Wno-format-truncation: bounded snprintf into named-size buffers is how we cut
# text on purpose; gcc 12 warns on every such call.
LDLIBS := -lpthread -lm

SARABUN_VER := 0.4.1
FONTS := fonts/Sarabun-Regular.ttf fonts/Sarabun-Bold.ttf
# axe-core (MPL-2.0) checks the public pages' accessibility in tests/integ/public.sh; a test
# tool, never installed on the appliance. Pinned: a new rule must not turn a test red by itself.
AXE_VER := 4.14.1
AXE := $(BUILD)/axe/axe.min.js

# pkg-config results are computed once, after the packages are there.
ifeq ($(filter deps clean distclean,$(MAKECMDGOALS)),)
-include $(BUILD)/pkg.mk
endif

$(BUILD)/pkg.mk: Makefile | $(BUILD)/.deps
	@mkdir -p $(BUILD)
	@{ echo "CORE_CFLAGS := $$(pkg-config --cflags $(CORE_PKGS))"; \
	   echo "ALL_CFLAGS := $$(pkg-config --cflags $(ALL_PKGS))"; \
	   echo "CORE_LIBS := $$(pkg-config --libs $(CORE_PKGS))"; \
	   echo "ALL_LIBS := $$(pkg-config --libs $(ALL_PKGS))"; } > $@

# --- dependencies -----------------------------------------------------------
deps: $(BUILD)/.deps $(FONTS) $(AXE)

$(BUILD)/.deps: Makefile
	@mkdir -p $(BUILD)
	@missing=$$(for p in $(APT_BUILD) $(APT_TEST); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

# Sarabun (OFL) is not in Debian; npm carries the TTFs. The appliance itself falls back to
# TLWG Laksaman, but the tests measure text with Sarabun's metrics, so a failed fetch is a
# clear error here (with npm's own words), not ten confusing test failures later.
$(FONTS) &: | $(BUILD)/.deps
	@mkdir -p $(BUILD)/font-fetch fonts
	@cd $(BUILD)/font-fetch && for try in 1 2 3; do \
		npm pack --silent @expo-google-fonts/sarabun@$(SARABUN_VER) >npm.out 2>npm.err && break; \
		echo "npm pack failed (try $$try of 3)" >&2; \
	done; \
	{ tar xzf expo-google-fonts-sarabun-$(SARABUN_VER).tgz \
		&& cp package/400Regular/Sarabun_400Regular.ttf ../../fonts/Sarabun-Regular.ttf \
		&& cp package/700Bold/Sarabun_700Bold.ttf ../../fonts/Sarabun-Bold.ttf \
		&& cp package/LICENSE_FONT ../../fonts/OFL.txt; } 2>/dev/null \
	|| { echo "error: the Sarabun font could not be fetched from the npm registry" \
		"(npm pack @expo-google-fonts/sarabun@$(SARABUN_VER)). npm said:" >&2; \
		tail -5 npm.err >&2; \
		echo "The kiosk would fall back to TLWG fonts, but the tests measure Sarabun." \
		"Check the network and its certificates (npm config get cafile), then run make again." >&2; \
		exit 1; }
	@touch -c $(FONTS)

$(AXE): | $(BUILD)/.deps
	@mkdir -p $(BUILD)/axe
	@cd $(BUILD)/axe && for try in 1 2 3; do \
		npm pack --silent axe-core@$(AXE_VER) >npm.out 2>npm.err && break; \
		echo "npm pack failed (try $$try of 3)" >&2; \
	done; \
	{ tar xzf axe-core-$(AXE_VER).tgz package/axe.min.js package/LICENSE \
		&& mv package/axe.min.js axe.min.js && mv package/LICENSE LICENSE && rmdir package && touch axe.min.js; } 2>/dev/null \
	|| { echo "error: axe-core could not be fetched from the npm registry" \
		"(npm pack axe-core@$(AXE_VER)). npm said:" >&2; tail -5 npm.err >&2; exit 1; }

# --- build ------------------------------------------------------------------
CORE_SRC := $(wildcard kiosk/core/*.c)
REST_SRC := $(filter-out kiosk/cli/main.c kiosk/cli/cli_lite.c,$(wildcard kiosk/dev/*.c kiosk/text/*.c kiosk/paper/*.c kiosk/ui/*.c kiosk/ui/screens/*.c \
	kiosk/net/*.c kiosk/collector/*.c kiosk/cli/*.c))
CORE_OBJ := $(CORE_SRC:kiosk/%.c=$(BUILD)/obj/%.o)
REST_OBJ := $(REST_SRC:kiosk/%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/cli/main.o
# The light `kiosk` (main.c with KIOSK_LITE): short commands without SDL, curl, httpd;
# it execs its sibling kiosk-ui (everything) for the rest. See kiosk/cli/main.c.
LITE_OBJ := $(BUILD)/obj/cli/main_lite.o $(BUILD)/obj/cli/cli_lite.o
# `kiosk shot` runs in kiosk-draw (main.c with KIOSK_DRAW): the screens and the text
# engine without libcurl, libmicrohttpd, pcsclite, libpq, libsystemd (--as-needed), which
# are about a third of kiosk-ui's start; the screens get those parts as hooks from
# `kiosk run`/`display` (ui_opts, scr_display_opts), so the archive leaves them out here.
DRAW_OBJ := $(BUILD)/obj/cli/main_draw.o

all: $(BUILD)/kiosk $(BUILD)/kiosk-ui $(BUILD)/kiosk-draw $(BUILD)/voice/.stamp

# The board's spoken clips (espeak-ng Thai), from the words in core/board.c.
$(BUILD)/voice/.stamp: assets/voice/generate.sh kiosk/core/board.c | $(BUILD)/kiosk $(BUILD)/kiosk-ui
	@assets/voice/generate.sh $(BUILD)/kiosk $(BUILD)/voice

# `kiosk --version` names the commit it was built from. The header is rewritten only
# when HEAD (or VERSION) changes, so main.o is rebuilt then and only then; a tarball
# without .git builds as "unknown" (even unpacked inside another repository).
$(BUILD)/gen/kiosk_version.h: FORCE
	@mkdir -p $(@D)
	@c=$$([ -e .git ] && git rev-parse --short HEAD 2>/dev/null || echo unknown); \
	printf '#define KIOSK_VERSION "%s"\n#define KIOSK_COMMIT "%s"\n' '$(VERSION)' "$$c" > $@.tmp; \
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@
$(MAIN_OBJ) $(LITE_OBJ) $(DRAW_OBJ): $(BUILD)/gen/kiosk_version.h
$(MAIN_OBJ) $(LITE_OBJ) $(DRAW_OBJ): KCFLAGS += -I$(BUILD)/gen

$(BUILD)/obj/cli/main_lite.o: kiosk/cli/main.c | $(BUILD)/pkg.mk
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -DKIOSK_LITE $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/cli/main_draw.o: kiosk/cli/main.c | $(BUILD)/pkg.mk
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -DKIOSK_DRAW $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/core/%.o: kiosk/core/%.c | $(BUILD)/pkg.mk
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(CORE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: kiosk/%.c | $(BUILD)/pkg.mk
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(ALL_CFLAGS) $(CFLAGS) -c $< -o $@

# The counter page is linked in with .incbin (net/counter_page.c).
$(BUILD)/obj/net/counter_page.o: assets/counter.html
$(BUILD)/obj/net/public_assets.o: assets/public/public.css assets/public/ticket.js

$(BUILD)/libkcore.a: $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# Made afresh: `ar r` keeps members whose source moved or went away.
$(BUILD)/libkiosk.a: $(REST_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# --as-needed: only the libraries the linked objects call become DT_NEEDED.
$(BUILD)/kiosk: $(LITE_OBJ) $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(ALL_LIBS) $(LDLIBS)

$(BUILD)/kiosk-ui: $(MAIN_OBJ) $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ALL_LIBS) $(LDLIBS)

$(BUILD)/kiosk-draw: $(DRAW_OBJ) $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(ALL_LIBS) $(LDLIBS)

# --- tests ------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

$(BUILD)/tests/%: tests/unit/%.c tests/tap.h $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -Itests $(ALL_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkiosk.a $(BUILD)/libkcore.a $(ALL_LIBS) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -Itests $(ALL_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkiosk.a $(BUILD)/libkcore.a $(ALL_LIBS) $(LDLIBS)

# Fuzz targets (tests/fuzz/fuzz_*.c, libFuzzer API). `make test` replays their corpora
# and the crashes kept in tests/fuzz/regress/ with the normal build; `make fuzz` runs
# them for real with clang's libFuzzer + ASan/UBSan (FUZZ_SECONDS each).
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-replay/%)
FUZZ_SECONDS ?= 60

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libkiosk.a $(BUILD)/libkcore.a
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(ALL_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libkiosk.a $(BUILD)/libkcore.a $(ALL_LIBS) $(LDLIBS)

fuzz: deps
	@for p in clang libclang-rt-14-dev; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || { $(SUDO) apt-get install -y -qq $$p || exit 1; }; done
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -Wno-unknown-warning-option -Wno-error" \
		build-fuzz/libkiosk.a build-fuzz/libkcore.a
	@for src in $(FUZZ_SRC); do n=$$(basename $$src .c); \
		clang $(KCFLAGS) -Wno-error -Wno-unknown-warning-option $(ALL_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
			-o build-fuzz/$$n $$src build-fuzz/libkiosk.a build-fuzz/libkcore.a $(ALL_LIBS) $(LDLIBS) || exit 1; \
		mkdir -p build-fuzz/corpus-$$n tests/fuzz/regress/$$n; \
		echo "== $$n for $(FUZZ_SECONDS) s"; \
		build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=tests/fuzz/regress/$$n/ \
			build-fuzz/corpus-$$n tests/fuzz/corpus/$${n#fuzz_} 2>&1 | tail -3; \
	done

test: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) tests/run.sh $(T)

# The suite (or the files named in T="a.sh b.sh") while every core is busy: stress-ng is
# started and stopped by tests/stress.sh; the concurrency test runs 20 rounds.
test-stress: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) tests/stress.sh $(T)

test-build: $(BUILD)/kiosk $(BUILD)/kiosk-ui $(BUILD)/kiosk-draw $(BUILD)/voice/.stamp $(UNIT_BIN) $(TOOL_BIN) $(FUZZ_REPLAY)

# The long soak: 3000 complete visits through one kiosk (make test runs 300). About
# 0.15 s of CPU a visit: on a busy 2-core machine that is more than make test's 900 s a file.
soak: deps
	@$(MAKE) --no-print-directory test-build
	@SOAK_FLOWS=$${SOAK_FLOWS:-3000} FILE_LIMIT=$${FILE_LIMIT:-7200} BUILD=$(BUILD) tests/run.sh soak

bench: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) tests/bench.sh

# The demo: shipped config, a fresh demo data folder, simulated card reader.
run: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) tests/tools/demo.sh

# ASan + UBSan build running the whole suite.
check-asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

# Installs the appliance: `make install DESTDIR=/tmp/img PREFIX=/usr`.
# Config goes to /etc/kiosk (never overwritten when present), state lives in
# /var/lib/kiosk (made by systemd-tmpfiles), fonts and assets to share/kiosk.
install: all $(FONTS)
	install -D -m 0755 $(BUILD)/kiosk $(DESTDIR)$(PREFIX)/bin/kiosk
	install -D -m 0755 $(BUILD)/kiosk-ui $(DESTDIR)$(PREFIX)/bin/kiosk-ui
	install -D -m 0755 $(BUILD)/kiosk-draw $(DESTDIR)$(PREFIX)/bin/kiosk-draw
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/kiosk/fonts $(DESTDIR)$(PREFIX)/share/kiosk/assets
	cp -p fonts/*.ttf fonts/OFL.txt $(DESTDIR)$(PREFIX)/share/kiosk/fonts/ 2>/dev/null || true
	cp -rp assets/. $(DESTDIR)$(PREFIX)/share/kiosk/assets/
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/kiosk/voice
	cp -p $(BUILD)/voice/*.wav $(DESTDIR)$(PREFIX)/share/kiosk/voice/ 2>/dev/null || true
	rm -rf $(DESTDIR)$(PREFIX)/share/kiosk/assets/system $(DESTDIR)$(PREFIX)/share/kiosk/assets/voice/generate.sh
	install -d -m 0755 $(DESTDIR)/etc/kiosk
	for f in kiosk.conf services.json; do \
		[ -e $(DESTDIR)/etc/kiosk/$$f ] || install -m 0644 config/$$f $(DESTDIR)/etc/kiosk/$$f; done
	install -D -m 0644 assets/system/kiosk.service $(DESTDIR)/lib/systemd/system/kiosk.service
	install -D -m 0644 assets/system/kiosk-display.service $(DESTDIR)/lib/systemd/system/kiosk-display.service
	install -D -m 0644 assets/system/60-kiosk.rules $(DESTDIR)/lib/udev/rules.d/60-kiosk.rules
	install -D -m 0644 assets/system/kiosk.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/kiosk.conf
	install -D -m 0644 assets/system/kiosk.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/kiosk.conf

# --- manual -----------------------------------------------------------------------
# The Thai operating manual (docs/manual/): build/manual/index.html, one page per
# chapter, and build/manual/manual.pdf. Its pictures are made now by the kiosk itself
# (kiosk shot) and headless Chromium (the counter page), so they follow the product.
manual: deps
	@$(MAKE) --no-print-directory $(BUILD)/kiosk
	@python3 docs/manual/build.py $(BUILD)/kiosk $(BUILD)/manual

.PHONY: manual

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i $$(git ls-files 'kiosk/*.[ch]' 'tests/*.[ch]')

FORCE:
.PHONY: FORCE all deps test test-stress test-build soak bench run check-asan install fuzz clean format
-include $(CORE_OBJ:.o=.d) $(REST_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(LITE_OBJ:.o=.d) $(DRAW_OBJ:.o=.d)
