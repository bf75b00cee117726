/**
 * @file ui_lockdown.c
 * @brief Needs an X server (tests/integ/ui.sh runs it under Xvfb). In full-screen
 * kiosk mode the window manager's quit (SDL_QUIT, window close) and Alt+F4 / Ctrl+Q
 * keys must not stop the app, and the keyboard must be grabbed (Alt+Tab goes to the
 * kiosk, not the desktop); a developer's window does close. Prints TAP.
 *
 * What ended the loop is read from the app, not from the clock: a quit request sets
 * ui_app_quitting(), the end of --exit-after does not. The run time is only printed.
 */
#include <stdio.h>
#include <time.h>

#include "tap.h"
#include "ui/app.h"
#include "ui/screens/screens.h"

/* How long the loop may run: it has handled the events long before. */
#define RUN_S 2.0

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void push_quit_events(struct ui_app *a)
{
	SDL_Event e = {0};
	e.type = SDL_QUIT;
	SDL_PushEvent(&e);
	e = (SDL_Event){0};
	e.type = SDL_WINDOWEVENT;
	e.window.event = SDL_WINDOWEVENT_CLOSE;
	e.window.windowID = SDL_GetWindowID(ui_app_window(a));
	SDL_PushEvent(&e);
	SDL_Keycode keys[2] = {SDLK_F4, SDLK_q};
	Uint16 mods[2] = {KMOD_LALT, KMOD_LCTRL};
	for (int i = 0; i < 2; i++) {
		e = (SDL_Event){0};
		e.type = SDL_KEYDOWN;
		e.key.keysym.sym = keys[i];
		e.key.keysym.mod = mods[i];
		e.key.windowID = SDL_GetWindowID(ui_app_window(a));
		SDL_PushEvent(&e);
	}
}

/* Quit requests still in SDL's queue: 0 once the loop has handled them all. */
static int pending_quits(void)
{
	return SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_QUIT, SDL_QUIT) +
	       SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_WINDOWEVENT, SDL_WINDOWEVENT) +
	       SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_KEYDOWN, SDL_KEYDOWN);
}

/* Runs the attract screen with the quit requests queued; *out keeps the app (the
 * caller frees it). Returns the seconds the loop ran, -1 when it could not start. */
static double run_with_quits(int windowed, struct ui_app **out, int *left)
{
	struct ui_opts o = {.windowed = windowed, .w = 800, .h = 600, .exit_after = RUN_S,
			    .screens = ui_screens};
	struct kerr err = {0};
	struct ui_app *a = NULL;
	double t0;

	*out = NULL;
	*left = -1;
	if (ui_app_new(&o, &a, &err) || ui_app_reset(a, "attract", NULL)) {
		printf("# %s\n", err.msg[0] ? err.msg : "no attract screen");
		ui_app_free(a);
		return -1;
	}
	ui_app_render(a, &err); /* drawn: the loop goes straight to the events */
	push_quit_events(a);
	t0 = now_s();
	ui_app_run(a, &err);
	*out = a;
	*left = pending_quits();
	return now_s() - t0;
}

int main(void)
{
	struct ui_app *a = NULL;
	int left;
	double dt = run_with_quits(0, &a, &left);
	OK(a && !ui_app_quitting(a) && left == 0,
	   "kiosk mode ignores SDL_QUIT, window close, Alt+F4, Ctrl+Q (all handled, ran to its "
	   "end: %.2f s)",
	   dt);
	OK(a && SDL_GetWindowKeyboardGrab(ui_app_window(a)), "kiosk mode grabs the keyboard");
	OK(a && (SDL_GetWindowFlags(ui_app_window(a)) & SDL_WINDOW_FULLSCREEN_DESKTOP) &&
	       (SDL_GetWindowFlags(ui_app_window(a)) & SDL_WINDOW_BORDERLESS),
	   "kiosk window is full screen and borderless");
	OK(a && SDL_ShowCursor(SDL_QUERY) == SDL_DISABLE, "no mouse cursor on the kiosk");
	ui_app_free(a);
	dt = run_with_quits(1, &a, &left);
	OK(a && ui_app_quitting(a), "a developer's window closes on request (after %.2f s)", dt);
	ui_app_free(a);
	return tap_done();
}
