/**
 * @file audio.h
 * @brief The board's voice: a chime and a spoken Thai call ("หมายเลข เอ ศูนย์
 * สอง สาม เชิญที่ช่อง สาม") put together from short WAV clips and played
 * through SDL's audio queue.
 *
 * Clips are looked up by name (core/board.h: "number", "letter-a", "digit-0",
 * "counter", ...) as NAME.wav in a list of folders, first hit wins: recorded
 * clips dropped into assets/voice/ override the ones generated at build time
 * with espeak-ng's Thai voice (build/voice/, installed to share/kiosk/voice).
 * The chime is synthesised (two soft sine tones) unless a chime.wav is found.
 * Each clip is converted to AUDIO_RATE mono 16-bit, its silent head and tail
 * trimmed, and a short gap put between clips.
 *
 * No sound device (or no SDL audio) is not an error for the board: opening
 * fails with K_EABSENT, the caller logs it once and the board stays silent.
 */
#ifndef KIOSK_AUDIO_H
#define KIOSK_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/board.h"
#include "core/err.h"

#define AUDIO_RATE 22050
#define AUDIO_GAP_MS 70        /* between two clips */
#define AUDIO_PAUSE_MS 350     /* after the chime, before the words */
#define AUDIO_DIRS_MAX 4
#define AUDIO_CLIP_MAX_S 5     /* a longer clip is refused: not a word */
#define AUDIO_SILENCE 600      /* |sample| below this (of 32767) counts as silence */

/* A built announcement: mono signed 16-bit samples at AUDIO_RATE. */
struct audio_pcm {
	int16_t *s;
	size_t n;
	int missing; /* clips not found in any folder (skipped) */
};

/* The clip folders for this run: dir (when not NULL) first, then the source
 * tree's assets/voice and <build>/voice, or the installed share/kiosk ones.
 * Returns how many were filled in. */
int audio_default_dirs(const char *dir, const char *out[AUDIO_DIRS_MAX]);

/* Builds the sound of clips[0..n) (names without .wav). Missing clips are
 * skipped and counted; K_EFAIL only for a damaged WAV or no memory. */
kst audio_build(const char *const *dirs, int n_dirs, const char clips[][BOARD_CLIP_NAME_MAX], int n,
		struct audio_pcm *out, struct kerr *err);
void audio_pcm_free(struct audio_pcm *p);
/* Writes p as a WAV file (tests and `kiosk announce --wav`). */
kst audio_write_wav(const char *path, const struct audio_pcm *p, struct kerr *err);

struct audio;
/* Opens the default output device. K_EABSENT when there is none. */
kst audio_open(struct audio **out, struct kerr *err);
/* Queues p behind whatever is still playing. */
kst audio_play(struct audio *a, const struct audio_pcm *p, struct kerr *err);
/* Milliseconds of sound still queued. */
int audio_queued_ms(struct audio *a);
void audio_close(struct audio *a);

#endif
