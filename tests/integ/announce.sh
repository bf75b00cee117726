#!/usr/bin/env bash
# The spoken call: clip list, the WAV it makes (chime then words), recorded
# clips overriding generated ones, missing clips, and no sound device.
. "$(dirname "$0")/lib.sh"

out=$("$K" announce --clips)
is "$(wc -l <<<"$out")" 39 "39 clips listed"
like "$out" $'number\tหมายเลข' "หมายเลข"
like "$out" $'counter\tเชิญที่ช่อง' "เชิญที่ช่อง"
ls "$ROOT/$BUILD/voice/"*.wav >/dev/null 2>&1; ok $? "make generated the clips with espeak-ng (Thai)"
is "$(ls "$ROOT/$BUILD/voice/"*.wav | wc -l)" 38 "one WAV per spoken clip"

out=$("$K" --json announce --number A023 --counter 3 --wav "$TMP/a.wav")
is "$(jq_ "$out" '" ".join(d["clips"])')" "chime number letter-a digit-0 digit-2 digit-3 counter digit-3" "the sequence: chime, หมายเลข, A, 0 2 3, เชิญที่ช่อง, 3"
is "$(jq_ "$out" 'd["missing"]')" 0 "no clip missing"
d=$(soxi -D "$TMP/a.wav")
like "$d" '^[4-9]\.' "the WAV lasts 4-10 s ($d s)"
is "$(soxi -r "$TMP/a.wav")" 22050 "22050 Hz"
# The first 0.9 s is the chime: two pure tones, loud enough to hear.
peak=$(sox "$TMP/a.wav" -n trim 0 0.9 stat 2>&1 | sed -n 's/^Maximum amplitude: *//p')
like "$peak" '^0\.[2-9]' "a chime at the start (peak $peak)"
sil=$(sox "$TMP/a.wav" -n trim 0.95 0.25 stat 2>&1 | sed -n 's/^Maximum amplitude: *//p')
like "$sil" '^0\.0' "then a short pause ($sil)"

# A recorded clip overrides the generated one.
mkdir -p "$TMP/voice"
sox -n -r 16000 -c 2 "$TMP/voice/digit-0.wav" synth 2.0 sine 300 vol 0.5
"$K" announce --number A000 --counter 3 --voice "$TMP/voice" --wav "$TMP/b.wav" 2>/dev/null
d2=$(soxi -D "$TMP/b.wav")
python3 -c "import sys; sys.exit(0 if float('$d2') > float('$d') + 2.5 else 1)"; ok $? "a recorded digit-0.wav (2 s, stereo 16 kHz) is used instead ($d2 s)"
head -c 100 /dev/urandom >"$TMP/voice/number.wav"
"$K" announce --number A001 --counter 1 --voice "$TMP/voice" --wav "$TMP/c.wav" 2>"$TMP/e"; is $? 1 "a damaged clip is an error"
like "$(cat "$TMP/e")" "number.wav" "naming the file"
rm "$TMP/voice/number.wav"

# No clips at all: the chime still plays.
mkdir -p "$TMP/empty"
out=$(cd "$TMP" && BUILD=nowhere "$K" --json announce --number A001 --counter 1 --voice "$TMP/empty" --wav "$TMP/d.wav" 2>"$TMP/e")
is "$(jq_ "$out" 'd["missing"]')" 7 "without clips: 7 missing"
like "$(soxi -D "$TMP/d.wav")" '^0\.9' "and only the chime is left"
like "$(cat "$TMP/e")" "not found" "the missing clips are reported"

# Playing: through SDL's disk driver (a file standing in for the speakers), and no device.
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$TMP/out.raw" SDL_DISKAUDIODELAY=0 "$K" announce --number B105 --counter 12 2>/dev/null
is $? 0 "played through the audio device"
[ "$(stat -c %s "$TMP/out.raw" 2>/dev/null || echo 0)" -gt 100000 ]; ok $? "the device received the sound"
SDL_AUDIODRIVER=nonexistent "$K" announce --number B105 --counter 12 2>"$TMP/e"; is $? 3 "no sound device: exit 3"
like "$(cat "$TMP/e")" "no sound" "says so"
"$K" announce --number 023 --counter 1 2>/dev/null; is $? 2 "not a ticket number: exit 2"
"$K" announce --number A023 2>/dev/null; is $? 2 "no counter: exit 2"
done_testing
