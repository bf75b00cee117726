#!/usr/bin/env bash
# Generates the board's announcement clips (one WAV per word) with espeak-ng's
# Thai voice: assets/voice/generate.sh KIOSK_BINARY OUT_DIR
# The words come from the binary itself (`kiosk announce --clips`), so the list
# has one source. Recorded clips put in assets/voice/NAME.wav take precedence
# at run time; these are the fallback. Without espeak-ng or its Thai voice the
# board still chimes (the chime is synthesised) but does not speak.
set -eu
kiosk=$1 out=$2
mkdir -p "$out"
if ! command -v espeak-ng >/dev/null; then
	echo "warning: espeak-ng is not installed: the display board will chime but not speak" >&2
	touch "$out/.stamp"; exit 0
fi
if ! espeak-ng --voices=th 2>/dev/null | grep -q ' th '; then
	echo "warning: espeak-ng has no Thai voice: the display board will chime but not speak" >&2
	touch "$out/.stamp"; exit 0
fi
n=0
while IFS=$'\t' read -r name text; do
	[ -n "$text" ] || continue
	# -s 140: a little slower than default, for a noisy hall; -g 2: small word gap
	espeak-ng -v th -s 140 -g 2 -w "$out/$name.wav.tmp" "$text"
	mv "$out/$name.wav.tmp" "$out/$name.wav"
	n=$((n + 1))
done < <("$kiosk" announce --clips)
echo "voice: $n clips in $out" >&2
touch "$out/.stamp"
