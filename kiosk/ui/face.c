/**
 * @file face.c
 * @brief Faces from triangles: a disc is a fan, a mouth is a strip of quads
 * along an arc with round ends.
 */
#include <math.h>

#include "ui/face.h"
#include "ui/widgets.h"

#define DISC_SEGS_MAX 96
#define ARC_STEPS 24

static const SDL_Color face_fill[6] = {
	{0, 0, 0, 255},          {0xD3, 0x2F, 0x2F, 255}, {0xEF, 0x7D, 0x22, 255},
	{0xF2, 0xC1, 0x1D, 255}, {0x8B, 0xC3, 0x4A, 255}, {0x2E, 0x9E, 0x4F, 255},
};
static const SDL_Color ink = {0x14, 0x21, 0x3D, 255};

SDL_Color ui_face_color(int level)
{
	return face_fill[level < 1 || level > 5 ? 3 : level];
}

static void disc_raw(SDL_Renderer *ren, float cx, float cy, float r, SDL_Color c)
{
	SDL_Vertex v[DISC_SEGS_MAX + 2];
	int idx[DISC_SEGS_MAX * 3];
	int segs = (int)(r * 0.8f);
	segs = segs < 16 ? 16 : segs > DISC_SEGS_MAX ? DISC_SEGS_MAX : segs;
	v[0] = (SDL_Vertex){{cx, cy}, c, {0, 0}};
	for (int i = 0; i <= segs; i++) {
		double t = 2 * M_PI * i / segs;
		v[i + 1] = (SDL_Vertex){{cx + r * (float)cos(t), cy + r * (float)sin(t)}, c, {0, 0}};
	}
	for (int i = 0; i < segs; i++) {
		idx[3 * i] = 0;
		idx[3 * i + 1] = i + 1;
		idx[3 * i + 2] = i + 2;
	}
	SDL_RenderGeometry(ren, NULL, v, segs + 2, idx, segs * 3);
}

void ui_disc(struct ui_app *a, int cx, int cy, int r, SDL_Color c)
{
	disc_raw(ui_renderer(a), (float)cx, (float)(cy - ui_yoff(a)), (float)r, c);
}

/* A thick polyline through pts with round ends: one triangle strip whose
 * vertices are shared between segments (separate quads leave hairline seams in
 * the software renderer), offset along the averaged normal at each point. */
static void stroke(SDL_Renderer *ren, const float (*pts)[2], int n, float w, SDL_Color c)
{
	SDL_Vertex v[2 * (ARC_STEPS + 1)];
	int idx[6 * ARC_STEPS], ni = 0;
	if (n < 2 || n > ARC_STEPS + 1)
		return;
	for (int i = 0; i < n; i++) {
		int a0 = i > 0 ? i - 1 : i, a1 = i + 1 < n ? i + 1 : i;
		float dx = pts[a1][0] - pts[a0][0], dy = pts[a1][1] - pts[a0][1];
		float len = sqrtf(dx * dx + dy * dy);
		float nx = len > 0 ? -dy / len * w / 2 : 0, ny = len > 0 ? dx / len * w / 2 : w / 2;
		v[2 * i] = (SDL_Vertex){{pts[i][0] + nx, pts[i][1] + ny}, c, {0, 0}};
		v[2 * i + 1] = (SDL_Vertex){{pts[i][0] - nx, pts[i][1] - ny}, c, {0, 0}};
	}
	for (int i = 0; i + 1 < n; i++) {
		int k = 2 * i;
		idx[ni++] = k, idx[ni++] = k + 1, idx[ni++] = k + 2;
		idx[ni++] = k + 1, idx[ni++] = k + 3, idx[ni++] = k + 2;
	}
	SDL_RenderGeometry(ren, NULL, v, 2 * n, idx, ni);
	disc_raw(ren, pts[0][0], pts[0][1], w / 2, c);
	disc_raw(ren, pts[n - 1][0], pts[n - 1][1], w / 2, c);
}

void ui_face(struct ui_app *a, int cx, int cy, int r, int level)
{
	SDL_Renderer *ren = ui_renderer(a);
	float x = (float)cx, y = (float)(cy - ui_yoff(a)), R = (float)r;
	float pts[ARC_STEPS + 1][2];

	if (level < 1 || level > 5)
		level = 3;
	disc_raw(ren, x, y, R, ink); /* outline */
	disc_raw(ren, x, y, R * 0.94f, face_fill[level]);
	/* Eyes. */
	disc_raw(ren, x - R * 0.34f, y - R * 0.22f, R * 0.11f, ink);
	disc_raw(ren, x + R * 0.34f, y - R * 0.22f, R * 0.11f, ink);
	/* Mouth: y = base + bend * R * (1 - u^2) for u in -1..1, centred on the
	 * mouth line; bend > 0 pulls the middle down: a smile. */
	static const float bend[6] = {0, -0.30f, -0.14f, 0, 0.14f, 0.30f};
	float hw = R * (level == 5 || level == 1 ? 0.46f : 0.40f);
	float base = y + R * 0.40f - bend[level] * R / 2;
	for (int i = 0; i <= ARC_STEPS; i++) {
		float u = -1.0f + 2.0f * (float)i / ARC_STEPS;
		pts[i][0] = x + u * hw;
		pts[i][1] = base + bend[level] * R * (1.0f - u * u);
	}
	if (level == 3) {
		/* Straight: a bar (a strip of thin vertical quads shows seams). */
		float w = R * 0.11f;
		SDL_FRect bar = {x - hw, base - w / 2, 2 * hw, w};
		SDL_SetRenderDrawColor(ren, ink.r, ink.g, ink.b, 255);
		SDL_RenderFillRectF(ren, &bar);
		disc_raw(ren, x - hw, base, w / 2, ink);
		disc_raw(ren, x + hw, base, w / 2, ink);
		return;
	}
	stroke(ren, (const float(*)[2])pts, ARC_STEPS + 1, R * 0.11f, ink);
}
