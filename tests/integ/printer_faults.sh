#!/usr/bin/env bash
# Printer faults with fake devices: a TCP printer on 127.0.0.1 that refuses,
# stalls, hangs up mid-job, runs out of paper or works; files in missing or
# read-only folders; FIFOs with no reader or a reader that stops reading.
# Each must give its status within its timeout, never hang: every call runs
# under `timeout`, and its time is checked.
. "$(dirname "$0")/lib.sh"
Q=$ROOT/$BUILD/tools/qrtool
FAKE=$ROOT/tests/tools/fakeprinter.py
IO=400 # ms without progress before "stalled"
TO="--io-ms $IO --connect-ms 800 --status-ms 150 --job-ms 5000"

"$Q" render --payload "https://q.bangkhae.go.th/t?o=bangkhae&d=2026-11-24&n=A023&s=AAAAAAAAAA" \
	--paper 576 --height 1000 --escpos "$TMP/ticket.bin" || exit 1
head -c 3000000 /dev/zero >"$TMP/big.bin" # bigger than any socket or pipe buffer

# run NAME TARGET FILE [OPTIONS]: sets OUT (status line), RC (exit), MS (elapsed).
# WRAP (an array, empty by default) is put before the command (e.g. unshare).
WRAP=()
run() {
	local t0=$(date +%s%N)
	OUT=$(timeout 10 "${WRAP[@]}" "$Q" print --target "$2" --file "$3" $TO ${4:-}); RC=$?
	MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# fake MODE [OUTFILE]: starts a fake printer, sets PORT once it listens (its port file).
fake() {
	rm -f "$TMP/port"
	python3 "$FAKE" "$1" "$TMP/port" "${2:-}" &
	local pid=$!
	at_exit "kill $pid"
	wait_file "$TMP/port"
	PORT=$(cat "$TMP/port")
	FAKE_PID=$pid
}
# fifo_reader MODE FIFO [OUT]: a reader process for FIFO, started and waited for until it
# holds the FIFO open (a FIFO target is only "present" while someone has it open):
#   hold       open, never read (the pipe fills up)
#   take N     read N bytes, then close (the writer gets EPIPE)
#   all        read everything until the writer closes, into OUT
# Sets READER_PID.
cat >"$TMP/fifo_reader.py" <<'PY'
import os, signal, sys
mode, fifo, ready = sys.argv[1], sys.argv[2], sys.argv[3]
# O_RDWR never blocks on a FIFO: from here on a writer's non-blocking open succeeds.
rw = os.open(fifo, os.O_RDWR)
open(ready, "w").write("open\n")
if mode == "hold":
    signal.pause()
elif mode == "take":
    want, got = int(sys.argv[4]), 0
    while got < want:
        got += len(os.read(rw, want - got))
    os.close(rw)
else:
    # As a writer ourselves we would never see end of file: read the first bytes (the
    # writer is there), then keep only a read-only end and read until the writer closes.
    data = os.read(rw, 65536)
    r = os.open(fifo, os.O_RDONLY)
    os.close(rw)
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        data += b
    with open(sys.argv[4] + ".tmp", "wb") as f:
        f.write(data)
    os.rename(sys.argv[4] + ".tmp", sys.argv[4])
PY
fifo_reader() {
	rm -f "$TMP/reader.ready"
	python3 "$TMP/fifo_reader.py" "$1" "$2" "$TMP/reader.ready" "${3:-}" &
	READER_PID=$!
	at_exit "kill $READER_PID"
	wait_file "$TMP/reader.ready"
}

# --- TCP --------------------------------------------------------------------
fake ok "$TMP/printed.bin"
run ok "tcp:127.0.0.1:$PORT" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "0:ok" "working printer: ok, exit 0"
wait_file "$TMP/printed.bin" # the fake adds a job once the kiosk has hung up
kill $FAKE_PID; wait $FAKE_PID 2>/dev/null
python3 - "$TMP/printed.bin" "$TMP/ticket.bin" <<'PY'
import sys
got, job = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
q = b"\x10\x04\x04"
sys.exit(0 if got == q + job + q else 1)
PY
ok $? "the printer received status query + exactly the ticket + status query"

# A closed port: bound but not listening, and held for the whole test, so no other
# program can start listening on it meanwhile (a SYN to it gets a reset).
python3 -c 'import signal,socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1], flush=True); signal.pause()' >"$TMP/closed" &
at_exit "kill $!"
wait_file "$TMP/closed"
CLOSED=$(cat "$TMP/closed")
run refused "tcp:127.0.0.1:$CLOSED" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "closed port: absent, exit 3"
ok $(( MS < 1000 ? 0 : 1 )) "refused at once ($MS ms)"
like "$OUT" "refused" "message says refused"

fake stall
run stall "tcp:127.0.0.1:$PORT" "$TMP/big.bin"
is "$RC:${OUT%%$'\t'*}" "3:stalled" "printer that stops reading: stalled, exit 3"
ok $(( MS >= IO && MS < 3000 ? 0 : 1 )) "gave up after the $IO ms bound, not before ($MS ms)"
like "$OUT" "took no data|stopped taking data" "message: ${OUT#*$'\t'}"
kill $FAKE_PID

fake close
run close "tcp:127.0.0.1:$PORT" "$TMP/big.bin"
is "$RC:${OUT%%$'\t'*}" "4:write_error" "printer hangs up mid-job: write error, exit 4"
ok $(( MS < 3000 ? 0 : 1 )) "noticed at once ($MS ms)"
like "$OUT" "reset|closed|Broken pipe" "message: ${OUT#*$'\t'}"
kill $FAKE_PID

fake paperout
run paper "tcp:127.0.0.1:$PORT" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "4:paper_out" "printer out of paper: paper_out, exit 4"
run paper "tcp:127.0.0.1:$PORT" "$TMP/ticket.bin" "--lang th"
like "$OUT" "กระดาษหมด" "Thai message for staff"
kill $FAKE_PID

# A printer whose accept queue is full drops our SYN: connect times out.
fake full
run full "tcp:127.0.0.1:$PORT" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "printer that never answers connect: absent, exit 3"
ok $(( MS >= 800 && MS < 2000 ? 0 : 1 )) "after the 800 ms connect bound ($MS ms)"
like "$OUT" "no answer to connect" "message: ${OUT#*$'\t'}"
kill $FAKE_PID

# Nobody answers a SYN to this address (TEST-NET-1, RFC 5737): connect times out
# (or the network says unreachable at once, on a machine without a route).
run timeout "tcp:192.0.2.1:9100" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "unreachable printer: absent, exit 3"
ok $(( MS < 2000 ? 0 : 1 )) "within the connect bound ($MS ms)"

# --- files ------------------------------------------------------------------
run file "file:$TMP/out.bin" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "0:ok" "file target: ok"
cmp -s "$TMP/out.bin" "$TMP/ticket.bin"; ok $? "file holds exactly the stream"

run nodir "file:$TMP/missing/dir/out.bin" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "file in a missing folder: absent, exit 3"

# A read-only folder of our own. Root writes into a chmod 555 folder anyway, so as root
# the folder is a read-only tmpfs mounted in a private mount namespace (unshare -m: the
# mount exists only for that one command and vanishes with it, even if the test dies).
mkdir -p "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	chmod 555 "$TMP/ro"
	RO_SKIP=
elif unshare -m sh -c 'mount -t tmpfs -o ro,size=64k kiosk-ro "$1" && ! touch "$1/probe"' sh "$TMP/ro" 2>/dev/null; then
	WRAP=(unshare -m sh -c 'mount -t tmpfs -o ro,size=64k kiosk-ro "$0" && exec "$@"' "$TMP/ro")
	RO_SKIP=
else
	RO_SKIP="cannot mount a read-only tmpfs in a private mount namespace (unshare -m) here"
fi
if [ -z "$RO_SKIP" ]; then
	run ro "file:$TMP/ro/out.bin" "$TMP/ticket.bin"
	WRAP=()
	is "$RC:${OUT%%$'\t'*}" "4:write_error" "file in a read-only folder: write error, exit 4"
	like "$OUT" "denied|[Rr]ead-only" "message: ${OUT#*$'\t'}"
else
	_n=$((_n + 1)); echo "ok $_n - # SKIP file in a read-only folder: $RO_SKIP"
	_n=$((_n + 1)); echo "ok $_n - # SKIP its message: $RO_SKIP"
fi

run eio "file:/proc/version" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "4:write_error" "device that fails writes (EIO): write error, exit 4"

# --- FIFOs ------------------------------------------------------------------
mkfifo "$TMP/fifo"
run fifo "file:$TMP/fifo" "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "FIFO with no reader: absent, exit 3"
ok $(( MS < 1000 ? 0 : 1 )) "at once, no blocking open ($MS ms)"

# A reader that opens and never reads: the pipe fills, the job stalls.
fifo_reader hold "$TMP/fifo"
run fifo-stall "file:$TMP/fifo" "$TMP/big.bin"
is "$RC:${OUT%%$'\t'*}" "3:stalled" "FIFO reader that stops reading: stalled, exit 3"
ok $(( MS >= IO && MS < 3000 ? 0 : 1 )) "after the $IO ms bound ($MS ms)"
kill $READER_PID 2>/dev/null; wait $READER_PID 2>/dev/null

# A reader that takes 1000 bytes and leaves: EPIPE, and no SIGPIPE death.
mkfifo "$TMP/fifo2"
fifo_reader take "$TMP/fifo2" 1000
run fifo-gone "file:$TMP/fifo2" "$TMP/big.bin"
is "$RC:${OUT%%$'\t'*}" "4:write_error" "FIFO reader leaves mid-job: write error, exit 4 (not killed by SIGPIPE)"
wait $READER_PID 2>/dev/null

# A reader that reads it all: ok, the bytes arrive.
fifo_reader all "$TMP/fifo2" "$TMP/fromfifo.bin"
CP=$READER_PID
run fifo-ok "file:$TMP/fifo2" "$TMP/ticket.bin"
wait $CP
is "$RC:${OUT%%$'\t'*}" "0:ok" "FIFO with a reader: ok"
cmp -s "$TMP/fromfifo.bin" "$TMP/ticket.bin"; ok $? "reader got exactly the stream"

run none none "$TMP/ticket.bin"
is "$RC:${OUT%%$'\t'*}" "3:absent" "no printer configured: absent, exit 3"
done_testing
