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

/* A thick polyline through pts with round joints and ends. */
static void stroke(SDL_Renderer *ren, const float (*pts)[2], int n, float w, SDL_Color c)
{
	for (int i = 0; i + 1 < n; i++) {
		float dx = pts[i + 1][0] - pts[i][0], dy = pts[i + 1][1] - pts[i][1];
		float len = sqrtf(dx * dx + dy * dy);
		if (len <= 0)
			continue;
		float nx = -dy / len * w / 2, ny = dx / len * w / 2;
		SDL_Vertex v[4] = {
			{{pts[i][0] + nx, pts[i][1] + ny}, c, {0, 0}},
			{{pts[i][0] - nx, pts[i][1] - ny}, c, {0, 0}},
			{{pts[i + 1][0] + nx, pts[i + 1][1] + ny}, c, {0, 0}},
			{{pts[i + 1][0] - nx, pts[i + 1][1] - ny}, c, {0, 0}},
		};
		int idx[6] = {0, 1, 2, 1, 3, 2};
		SDL_RenderGeometry(ren, NULL, v, 4, idx, 6);
	}
	for (int i = 0; i < n; i++)
		disc_raw(ren, pts[i][0], pts[i][1], w / 2, c);
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
	stroke(ren, (const float(*)[2])pts, ARC_STEPS + 1, R * 0.11f, ink);
}
