/**
 * @file ui_lockdown.c
 * @brief Needs an X server (tests/integ/ui.sh runs it under Xvfb). In full-screen
 * kiosk mode the window manager's quit (SDL_QUIT, window close) and Alt+F4 / Ctrl+Q
 * keys must not stop the app, and the keyboard must be grabbed (Alt+Tab goes to the
 * kiosk, not the desktop); a developer's window does close. Prints TAP.
 */
#include <stdio.h>
#include <time.h>

#include "tap.h"
#include "ui/app_priv.h"

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
	e.window.windowID = SDL_GetWindowID(a->win);
	SDL_PushEvent(&e);
	SDL_Keycode keys[2] = {SDLK_F4, SDLK_q};
	Uint16 mods[2] = {KMOD_LALT, KMOD_LCTRL};
	for (int i = 0; i < 2; i++) {
		e = (SDL_Event){0};
		e.type = SDL_KEYDOWN;
		e.key.keysym.sym = keys[i];
		e.key.keysym.mod = mods[i];
		e.key.windowID = SDL_GetWindowID(a->win);
		SDL_PushEvent(&e);
	}
}

static double run_with_quits(int windowed, struct ui_app **keep)
{
	struct ui_opts o = {.windowed = windowed, .w = 800, .h = 600, .exit_after = 1.5};
	struct kerr err = {0};
	struct ui_app *a = NULL;
	double t0, dt = -1;

	if (ui_app_new(&o, &a, &err) || ui_app_reset(a, "attract", NULL)) {
		printf("# %s\n", err.msg);
		return -1;
	}
	ui_app_render(a, &err);
	push_quit_events(a);
	t0 = now_s();
	ui_app_run(a, &err);
	dt = now_s() - t0;
	if (keep)
		*keep = a;
	else
		ui_app_free(a);
	return dt;
}

int main(void)
{
	struct ui_app *a = NULL;
	double dt = run_with_quits(0, &a);
	OK(dt >= 1.4, "kiosk mode ignores SDL_QUIT, window close, Alt+F4, Ctrl+Q (ran %.2f s of 1.5)", dt);
	OK(a && a->kiosk && SDL_GetWindowKeyboardGrab(a->win), "kiosk mode grabs the keyboard");
	OK(a && (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) &&
	       (SDL_GetWindowFlags(a->win) & SDL_WINDOW_BORDERLESS),
	   "kiosk window is full screen and borderless");
	OK(a && SDL_ShowCursor(SDL_QUERY) == SDL_DISABLE, "no mouse cursor on the kiosk");
	ui_app_free(a);
	dt = run_with_quits(1, NULL);
	OK(dt >= 0 && dt < 1.0, "a developer's window closes on request (%.2f s)", dt);
	return tap_done();
}
