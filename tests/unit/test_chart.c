/* Charts: PNG files of the right size, the ASCII fallback, the Thai label hook
 * (called with the Thai text and the label width limit), and a bad size. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/bitmap_png.h"
#include "dev/chart.h"
#include "tap.h"

static int calls, last_max_w;
static char last_text[128];

static int fake(void *ctx, struct chart_img *img, int x, int y, int px, uint32_t rgb,
		const char *utf8, int max_w)
{
	calls++;
	last_max_w = max_w;
	snprintf(last_text, sizeof last_text, "%s", utf8);
	chart_rect(img, x, y - px / 2, 10, px, rgb);
	return 10;
}

int main(void)
{
	char dir[64], p1[96], p2[96];
	struct kerr err;
	struct bitmap bm;
	double v[3] = {3, 0, 7};
	const char *xl[3] = {"1", "2", "3"}, *th[3] = {"หนึ่ง", "สอง", "สาม"}, *en[3] = {"one", "two", "three"};
	int dim[3] = {0, 1, 0};
	uint32_t col[3] = {0xff0000, 0x00ff00, 0x0000ff};
	static const double edges[3] = {1, 3, 5};

	snprintf(dir, sizeof dir, "/tmp/kiosk-tc.%d", (int)getpid());
	snprintf(p1, sizeof p1, "%s/c.png", dir);
	snprintf(p2, sizeof p2, "%s/h.png", dir);
	if (mkdir(dir, 0700))
		return 2;
	IS_INT(chart_columns(p1, "ไทย", "cols", 3, v, xl, dim, 5, "เป้า", "target", &err), K_OK, "column chart written");
	OK(bitmap_png_read(p1, 128, &bm, &err) == K_OK && bm.w == 1200, "a 1200 px wide PNG");
	OK(bitmap_count_black(&bm) > 500, "with ink on it (ASCII labels, bars)");
	bitmap_free(&bm);
	IS_INT(calls, 0, "no hook: the Thai labels are not attempted");
	chart_text_hook = fake;
	IS_INT(chart_hbars(p2, "ชื่อ", "title", 3, v, th, en, col, 0, 10, 1, edges, 3, &err), K_OK, "bar chart written");
	IS_INT(calls, 4, "with a hook: the title and the three bar labels go through it");
	IS_STR(last_text, "สาม", "the Thai text is passed");
	OK(last_max_w > 0, "bar labels get a width limit (%d px)", last_max_w);
	chart_text_hook = NULL;
	struct chart_img img;
	IS_INT(chart_init(&img, 0, 10, &err), K_EUSAGE, "a zero-width chart is refused");
	IS_INT(chart_init(&img, CHART_DIM_MAX + 1, 10, &err), K_EUSAGE, "an oversized one too");
	IS_INT(chart_png(&(struct chart_img){1, 1, (uint8_t[3]){0}}, "/nonexistent/x.png", &err), K_EFAIL,
	       "an unwritable path fails cleanly");
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	return tap_done();
}
