/**
 * @file scr_services.c
 * @brief Choose a service: the catalogue by group, one large button per service with
 * its summary. Tapping opens its checklist. Two columns on a wide screen. A card
 * holder is greeted by name on top (ui/card_glue.h), with the expired-card notice.
 */
#include <string.h>

#include "core/config.h"
#include "ui/card_glue.h"
#include "ui/screens.h"
#include "ui/ticketing.h"
#include "ui/widgets.h"

enum { ID_SVC0 = 1 }; /* + index in the catalogue */

static struct {
	struct ui_scroll scroll;
} st;

static const char *lang(struct ui_app *a)
{
	return ui_lang(a) == UI_EN ? "en" : "th";
}

static kst enter(struct ui_app *a, const char *arg)
{
	(void)arg;
	if (!ui_config(a) || !ui_config(a)->catalog.n)
		return K_EUSAGE; /* nothing to choose from */
	st.scroll.offset = 0;
	return K_OK;
}

/* Every way back to the attract screen pops this one: the visit ends (core/kpi.h). */
static void leave(struct ui_app *a)
{
	ticketing_visit_end(ui_ticketing(a));
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	const struct kcatalog *cat = &ui_config(a)->catalog;
	int W = ui_w(a), m = ui_sz(a, UI_MARGIN), gap = ui_sz(a, 20);
	int bar = ui_topbar(a, ui_tr(a, "เลือกบริการ", "Choose a service"), UI_BAR_BACK | UI_BAR_HOME);
	int cw = W - 2 * m;
	int cols = cw >= ui_sz(a, 1400) ? 2 : 1;
	int bw = (cw - (cols - 1) * gap) / cols;
	int y = bar + gap;

	ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, bar, W, ui_h(a) - bar});
	/* A card holder is greeted by name; an expired card is said kindly. */
	y += card_panel(a, m, y, cw, CARD_PANEL_GREETING | CARD_PANEL_EXPIRED);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0},
		      ui_tr(a, "แตะบริการที่ต้องการ เพื่อดูเอกสารที่ต้องเตรียมและรับบัตรคิว",
			    "Tap a service to see the documents to bring and get a queue ticket"),
		      UI_F_BODY, t->muted, TEXT_LEFT) + gap;
	for (size_t g = 0; g < cat->n_groups; g++) {
		const struct kgroup *gr = &cat->groups[g];
		const struct kservice *in[KCAT_SERVICES_MAX];
		size_t idx[KCAT_SERVICES_MAX], n = 0;
		for (size_t i = 0; i < cat->n && n < KCAT_SERVICES_MAX; i++)
			if (!strcmp(cat->svc[i].group, gr->id))
				in[n] = &cat->svc[i], idx[n++] = i;
		if (!n)
			continue;
		y += gap / 2;
		y += ui_label(a, (SDL_Rect){m, y, cw, 0}, ktext_get(&gr->name, lang(a)), UI_F_HEAD,
			      t->text, TEXT_LEFT) + gap / 2;
		for (size_t k = 0; k < n; k += (size_t)cols) {
			/* Buttons of a row share the tallest one's height. */
			int h = 0;
			for (int c = 0; c < cols && k + (size_t)c < n; c++) {
				int hh = ui_button_height(a, bw, ktext_get(&in[k + c]->name, lang(a)),
							  ktext_get(&in[k + c]->summary, lang(a)));
				h = hh > h ? hh : h;
			}
			for (int c = 0; c < cols && k + (size_t)c < n; c++) {
				const struct kservice *s = in[k + c];
				ui_button_sub(a, ID_SVC0 + (int)idx[k + c],
					      (SDL_Rect){m + c * (bw + gap), y, bw, h},
					      ktext_get(&s->name, lang(a)), ktext_get(&s->summary, lang(a)),
					      UI_BTN_LEFT);
			}
			y += h + gap;
		}
	}
	ui_scroll_end(a, &st.scroll, y + gap);
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	const struct kcatalog *cat = &ui_config(a)->catalog;
	if (e->type == UI_EV_CLICK && e->id >= ID_SVC0 && (size_t)(e->id - ID_SVC0) < cat->n) {
		ui_app_push(a, "checklist", cat->svc[e->id - ID_SVC0].id);
		return 1;
	}
	return 0;
}

const struct ui_screen_ops scr_services = {
	.name = "services",
	.enter = enter,
	.leave = leave,
	.draw = draw,
	.event = event,
};
