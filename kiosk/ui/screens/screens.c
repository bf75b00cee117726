/**
 * @file screens.c
 * @brief The screen registry: names for `kiosk shot --screen` and ui_app_push().
 */
#include <string.h>

#include "ui/screens/screens.h"

const struct ui_screen_ops *const ui_screens[] = {
	&scr_attract,
	&scr_gallery,
	&scr_services,
	&scr_checklist,
	&scr_ticket,
	&scr_display,
	&scr_rating,
	&scr_thanks,
	&scr_admin,
	NULL,
};

#define NSCREENS (sizeof ui_screens / sizeof ui_screens[0] - 1)

const struct ui_screen_ops *ui_screen_find(const char *name)
{
	for (size_t i = 0; name && i < NSCREENS; i++)
		if (!strcmp(ui_screens[i]->name, name))
			return ui_screens[i];
	return NULL;
}

const char *const *ui_screen_names(void)
{
	static const char *names[NSCREENS + 1];
	for (size_t i = 0; i < NSCREENS; i++)
		names[i] = ui_screens[i]->name;
	return names;
}
