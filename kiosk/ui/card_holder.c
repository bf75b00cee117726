/**
 * @file card_holder.c
 * @brief The card holder as the screens see it: who is greeted, the rules by age, the
 * panel of what applies (see card_glue.h). Kept apart from the reader's glue
 * (card_glue.c) so that a screen links no PC/SC library: `kiosk shot` has no reader.
 */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "ui/card_glue.h"
#include "ui/widgets.h"

/* One app per process: the screens reach the holder without being handed it. */
struct card_state card_state = {.readers = -1};

/* --- the holder ------------------------------------------------------------------ */

void card_holder_fill(struct card_holder *h, const struct idcard *c, int64_t now)
{
	explicit_bzero(h, sizeof *h);
	snprintf(h->first_th, sizeof h->first_th, "%s", c->name_th.first);
	snprintf(h->prefix_en, sizeof h->prefix_en, "%s", c->name_en.prefix);
	snprintf(h->first_en, sizeof h->first_en, "%s", c->name_en.first);
	cardrule_facts(c, now, &h->f);
}

void card_holder_wipe(struct card_holder *h)
{
	explicit_bzero(h, sizeof *h);
}

int card_holder_is_zero(const struct card_holder *h)
{
	const unsigned char *p = (const unsigned char *)h;
	unsigned char acc = 0;
	for (size_t i = 0; i < sizeof *h; i++)
		acc |= p[i];
	return acc == 0;
}

const struct card_holder *card_holder(void)
{
	return card_state.present ? &card_state.holder : NULL;
}

int card_holder_priority(const struct ui_app *a)
{
	const struct kconfig *cfg = ui_config(a);
	int age = cfg ? cfg->priority_age : card_state.priority_age;
	return card_state.present && cardrule_priority(card_state.holder.f.age, age);
}

void card_greeting_lang(enum ui_lang l, char *out, size_t n)
{
	const struct card_holder *h = &card_state.holder;
	if (!card_state.present) {
		out[0] = 0;
	} else if (l == UI_EN) {
		if (h->first_en[0])
			snprintf(out, n, "Hello, %s%s%s", h->prefix_en, h->prefix_en[0] ? " " : "",
				 h->first_en);
		else
			snprintf(out, n, "Hello");
	} else {
		/* คุณ + first name: polite for anyone, no ค่ะ/ครับ to get wrong. */
		if (h->first_th[0])
			snprintf(out, n, "สวัสดี คุณ%s", h->first_th);
		else
			snprintf(out, n, "สวัสดี");
	}
}

void card_greeting(const struct ui_app *a, char *out, size_t n)
{
	card_greeting_lang(ui_lang(a), out, n);
}

int card_readers(void)
{
	return card_state.readers;
}

const char *card_text_priority_age(const struct ui_app *a)
{
	return ui_tr(a, "คิวพิเศษสำหรับผู้สูงอายุ", "Priority ticket for older persons");
}

const char *card_text_expired(const struct ui_app *a)
{
	return ui_tr(a,
		     "บัตรประจำตัวประชาชนของท่านหมดอายุแล้ว กรุณาติดต่อฝ่ายทะเบียนเพื่อทำบัตรใหม่ "
		     "ท่านยังรับบัตรคิวได้",
		     "Your ID card has expired. Please contact the Registration Section for a new "
		     "card. You can still take a queue ticket.");
}

int card_panel(struct ui_app *a, int x, int y, int w, unsigned what)
{
	const struct ui_theme *t = ui_theme(a);
	int pad = ui_sz(a, 28), gap = ui_sz(a, 20), y0 = y;
	char hello[GREETING_MAX];

	if (!card_state.present)
		return 0;
	if (what & CARD_PANEL_GREETING) {
		const char *pr = card_holder_priority(a)
					 ? ui_tr(a, "ท่านจะได้รับคิวพิเศษสำหรับผู้สูงอายุ",
						 "You will get a priority ticket for older persons")
					 : NULL;
		card_greeting(a, hello, sizeof hello);
		int tw = w - 2 * pad;
		int h = 2 * pad + ui_label_height(a, tw, hello, UI_F_TITLE);
		if (pr)
			h += ui_sz(a, 8) + ui_label_height(a, tw, pr, UI_F_BODY);
		ui_fill(a, (SDL_Rect){x, y, w, h}, t->panel, 18);
		int yy = y + pad;
		yy += ui_label(a, (SDL_Rect){x + pad, yy, tw, 0}, hello, UI_F_TITLE, t->panel_text,
			       TEXT_LEFT);
		if (pr)
			ui_label(a, (SDL_Rect){x + pad, yy + ui_sz(a, 8), tw, 0}, pr, UI_F_BODY,
				 t->panel_text, TEXT_LEFT);
		y += h + gap;
		explicit_bzero(hello, sizeof hello);
	}
	if ((what & CARD_PANEL_EXPIRED) && card_state.holder.f.expired > 0) {
		const char *ex = card_text_expired(a);
		int tw = w - 2 * pad;
		int h = 2 * pad + ui_label_height(a, tw, ex, UI_F_BODY);
		ui_fill(a, (SDL_Rect){x, y, w, h}, t->note_bg, 18);
		ui_label(a, (SDL_Rect){x + pad, y + pad, tw, 0}, ex, UI_F_BODY, t->note_text, TEXT_LEFT);
		y += h + gap;
	}
	return y - y0;
}

