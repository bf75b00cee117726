/* Placeholder entry point until the CLI lands. */
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "usage: kiosk COMMAND [options]\n");
	return 2;
}
