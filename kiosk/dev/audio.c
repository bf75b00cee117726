/**
 * @file audio.c
 * @brief Announcement clips and SDL audio output (see audio.h).
 */
#include "dev/audio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL2/SDL.h>

#define AUDIO_PATH_MAX 1024
#define CHIME_MS 900

struct audio {
	SDL_AudioDeviceID dev;
};

int audio_default_dirs(const char *dir, const char *out[AUDIO_DIRS_MAX])
{
	static char build_voice[AUDIO_PATH_MAX];
	int n = 0;
	const char *b = getenv("BUILD");
	if (dir && *dir)
		out[n++] = dir;
	if (access("kiosk/cli/main.c", F_OK) == 0) {
		/* Run from the source tree. */
		snprintf(build_voice, sizeof build_voice, "%s/voice", b && *b ? b : "build");
		out[n++] = "assets/voice";
		out[n++] = build_voice;
	} else {
		out[n++] = "/usr/share/kiosk/assets/voice";
		out[n++] = "/usr/share/kiosk/voice";
	}
	return n;
}

/* Appends n samples to p (grows the buffer). */
static int append(struct audio_pcm *p, const int16_t *s, size_t n)
{
	int16_t *np = realloc(p->s, (p->n + n) * sizeof *np);
	if (!np)
		return -1;
	if (s)
		memcpy(np + p->n, s, n * sizeof *s);
	else
		memset(np + p->n, 0, n * sizeof *np);
	p->s = np;
	p->n += n;
	return 0;
}

/* Ding-dong: two sine tones with a soft attack and exponential decay. */
static int chime(struct audio_pcm *p)
{
	size_t n = (size_t)AUDIO_RATE * CHIME_MS / 1000, half = n * 4 / 10;
	int16_t *s = malloc(n * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int second = i >= half;
		double t = (double)(second ? i - half : i) / AUDIO_RATE;
		double f = second ? 659.25 : 830.61; /* E5 then G#5: a gentle falling third */
		double env = fmin(1.0, t / 0.01) * exp(-t * (second ? 3.5 : 6.0));
		double v = sin(2 * M_PI * f * t) + 0.25 * sin(2 * M_PI * 2 * f * t);
		s[i] = (int16_t)(v * env * 0.45 * 32767 / 1.25);
	}
	int rc = append(p, s, n);
	free(s);
	return rc;
}

static int find_clip(const char *const *dirs, int n_dirs, const char *name, char *path,
		     size_t size)
{
	for (int i = 0; i < n_dirs; i++) {
		snprintf(path, size, "%s/%s.wav", dirs[i], name);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

/* Loads a WAV, converts it to AUDIO_RATE mono S16 and trims silence. */
static kst load_clip(const char *path, struct audio_pcm *p, struct kerr *err)
{
	SDL_AudioSpec spec;
	Uint8 *buf = NULL;
	Uint32 len = 0;
	SDL_AudioCVT cvt;

	if (!SDL_LoadWAV(path, &spec, &buf, &len))
		return kerr_set(err, K_EFAIL, "%s: %s", path, SDL_GetError());
	if (SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_S16SYS, 1,
			      AUDIO_RATE) < 0) {
		SDL_FreeWAV(buf);
		return kerr_set(err, K_EFAIL, "%s: cannot convert: %s", path, SDL_GetError());
	}
	if ((double)len / (spec.freq * spec.channels * (SDL_AUDIO_BITSIZE(spec.format) / 8)) >
	    AUDIO_CLIP_MAX_S) {
		SDL_FreeWAV(buf);
		return kerr_set(err, K_EFAIL, "%s: longer than %d s", path, AUDIO_CLIP_MAX_S);
	}
	cvt.len = (int)len;
	cvt.buf = malloc((size_t)len * (size_t)(cvt.len_mult > 0 ? cvt.len_mult : 1));
	if (!cvt.buf) {
		SDL_FreeWAV(buf);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	memcpy(cvt.buf, buf, len);
	SDL_FreeWAV(buf);
	if (cvt.needed && SDL_ConvertAudio(&cvt) < 0) {
		free(cvt.buf);
		return kerr_set(err, K_EFAIL, "%s: %s", path, SDL_GetError());
	}
	const int16_t *s = (const int16_t *)cvt.buf;
	size_t n = (size_t)(cvt.needed ? cvt.len_cvt : cvt.len) / sizeof *s, a = 0, b = n;
	while (a < b && abs(s[a]) < AUDIO_SILENCE)
		a++;
	while (b > a && abs(s[b - 1]) < AUDIO_SILENCE)
		b--;
	/* Keep a few ms either side so consonants are not clipped. */
	size_t pad = AUDIO_RATE / 100;
	a = a > pad ? a - pad : 0;
	b = b + pad < n ? b + pad : n;
	int rc = append(p, s + a, b - a);
	free(cvt.buf);
	return rc ? kerr_set(err, K_EFAIL, "out of memory") : K_OK;
}

kst audio_build(const char *const *dirs, int n_dirs, const char clips[][BOARD_CLIP_NAME_MAX], int n,
		struct audio_pcm *out, struct kerr *err)
{
	char path[AUDIO_PATH_MAX];
	kst rc = K_OK;

	memset(out, 0, sizeof *out);
	int gap = 0; /* ms of silence owed before the next clip that exists */
	for (int i = 0; i < n && !rc; i++) {
		int found = find_clip(dirs, n_dirs, clips[i], path, sizeof path);
		int is_chime = !strcmp(clips[i], "chime");
		if (!found && !is_chime) {
			out->missing++;
			continue;
		}
		if (out->n && gap && append(out, NULL, (size_t)AUDIO_RATE * gap / 1000)) {
			rc = kerr_set(err, K_EFAIL, "out of memory");
			break;
		}
		if (found)
			rc = load_clip(path, out, err);
		else
			rc = chime(out) ? kerr_set(err, K_EFAIL, "out of memory") : K_OK;
		gap = is_chime ? AUDIO_PAUSE_MS : AUDIO_GAP_MS;
	}
	if (rc)
		audio_pcm_free(out);
	return rc;
}

void audio_pcm_free(struct audio_pcm *p)
{
	free(p->s);
	p->s = NULL;
	p->n = 0;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

kst audio_write_wav(const char *path, const struct audio_pcm *p, struct kerr *err)
{
	uint8_t h[44] = "RIFF....WAVEfmt ";
	uint32_t bytes = (uint32_t)(p->n * 2);
	le32(h + 4, 36 + bytes);
	le32(h + 16, 16);
	h[20] = 1;  /* PCM */
	h[22] = 1;  /* mono */
	le32(h + 24, AUDIO_RATE);
	le32(h + 28, AUDIO_RATE * 2);
	h[32] = 2;  /* block align */
	h[34] = 16; /* bits */
	memcpy(h + 36, "data", 4);
	le32(h + 40, bytes);
	FILE *f = fopen(path, "wb");
	if (!f)
		return kerr_set(err, K_EFAIL, "%s: cannot write", path);
	/* Samples are little-endian on every target we build for (x86-64, arm64). */
	int ok = fwrite(h, 1, sizeof h, f) == sizeof h && fwrite(p->s, 2, p->n, f) == p->n;
	if (fclose(f) || !ok)
		return kerr_set(err, K_EFAIL, "%s: write failed", path);
	return K_OK;
}

kst audio_open(struct audio **out, struct kerr *err)
{
	SDL_AudioSpec want = {.freq = AUDIO_RATE, .format = AUDIO_S16SYS, .channels = 1,
			      .samples = 1024};
	*out = NULL;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0)
		return kerr_set(err, K_EABSENT, "no sound: %s", SDL_GetError());
	struct audio *a = calloc(1, sizeof *a);
	if (!a) {
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	/* No allowed changes: SDL converts for us, so the queue is always our format. */
	a->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!a->dev) {
		kerr_set(err, K_EABSENT, "no sound device: %s", SDL_GetError());
		free(a);
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return K_EABSENT;
	}
	SDL_PauseAudioDevice(a->dev, 0);
	*out = a;
	return K_OK;
}

kst audio_play(struct audio *a, const struct audio_pcm *p, struct kerr *err)
{
	if (SDL_QueueAudio(a->dev, p->s, (Uint32)(p->n * sizeof *p->s)) < 0)
		return kerr_set(err, K_EDEVICE, "sound: %s", SDL_GetError());
	return K_OK;
}

int audio_queued_ms(struct audio *a)
{
	return (int)((int64_t)SDL_GetQueuedAudioSize(a->dev) / 2 * 1000 / AUDIO_RATE);
}

void audio_close(struct audio *a)
{
	if (!a)
		return;
	SDL_CloseAudioDevice(a->dev);
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	free(a);
}
