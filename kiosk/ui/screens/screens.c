/**
 * @file screens.c
 * @brief The screen registry: names for `kiosk shot --screen` and ui_app_push().
 */
#include <string.h>

#include "ui/screens/screens.h"

static const struct ui_screen_ops *const screens[] = {
	&scr_attract,
	&scr_gallery,
	&scr_services,
	&scr_checklist,
	&scr_ticket,
	&scr_display,
	&scr_rating,
	&scr_thanks,
	&scr_admin,
};

#define NSCREENS (sizeof screens / sizeof screens[0])

const struct ui_screen_ops *ui_screen_find(const char *name)
{
	for (size_t i = 0; name && i < NSCREENS; i++)
		if (!strcmp(screens[i]->name, name))
			return screens[i];
	return NULL;
}

const char *const *ui_screen_names(void)
{
	static const char *names[NSCREENS + 1];
	for (size_t i = 0; i < NSCREENS; i++)
		names[i] = screens[i]->name;
	return names;
}
