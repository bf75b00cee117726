/**
 * @file counter_page.c
 * @brief assets/counter.html linked into the binary, so the appliance serves
 * the counter page with nothing to install beside the executable. Edit the
 * HTML file; the Makefile rebuilds this object when it changes.
 */
__asm__(".section .rodata\n"
	".global kapi_counter_html\n"
	".type kapi_counter_html, @object\n"
	"kapi_counter_html:\n"
	".incbin \"assets/counter.html\"\n"
	".byte 0\n"
	".size kapi_counter_html, . - kapi_counter_html\n"
	".previous\n");
