/*
 * Host unit tests of the inmate library's portable parts: the command line
 * parser (inmates/lib/cmdline.c) and the formatted output
 * (inmates/lib/printk.c). Their names are changed on inclusion so that they
 * do not replace the C library's snprintf family in this program.
 */
#include "check.h"

#define vsnprintf inmate_vsnprintf
#define snprintf inmate_snprintf
#define printk inmate_printk

#include "../../inmates/lib/cmdline.c"
#include "../../inmates/lib/printk.c"

/* Stubs for what cmdline.c and printk.c reach outside themselves. */
static char console_out[512];

void console_write(const char *s, size_t len)
{
	size_t have = strlen(console_out);

	if (have + len < sizeof(console_out)) {
		memcpy(console_out + have, s, len);
		console_out[have + len] = '\0';
	}
}

const char *fdt_bootargs(u64 fdt, size_t *len)
{
	(void)fdt;
	(void)len;
	return NULL;
}

static void set_cmdline(const char *s)
{
	memset(cmdline_page, 0, sizeof(cmdline_page));
	memcpy(cmdline_page, s, strlen(s));
	cmdline_init(0);
}

static const char *fmt(const char *f, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, f);
	inmate_vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

static void test_cmdline(void)
{
	char buf[32];
	int i;

	set_cmdline("");
	CHECK("cmdline: empty page gives the default",
	      cmdline_get("mode", NULL, buf, sizeof(buf)) == NULL);

	set_cmdline("mode=root-read  count=10\tflag period=0x10 size=4k bad=12x "
		    "cpus=0x2,0x3 mode=hv-read\n");
	CHECK_STR("cmdline: the last word of a key wins",
		  cmdline_get("mode", "none", buf, sizeof(buf)), "hv-read");
	CHECK_EQ("cmdline: decimal", cmdline_get_u64("count", 0), 10);
	CHECK_EQ("cmdline: hexadecimal", cmdline_get_u64("period", 0), 16);
	CHECK_EQ("cmdline: k suffix", cmdline_get_u64("size", 0), 4096);
	CHECK_EQ("cmdline: malformed number gives the default",
		 cmdline_get_u64("bad", 7), 7);
	CHECK_EQ("cmdline: missing number gives the default",
		 cmdline_get_u64("missing", 99), 99);
	CHECK("cmdline: a bare key is present", cmdline_has("flag"));
	CHECK_STR("cmdline: a bare key has an empty value",
		  cmdline_get("flag", "x", buf, sizeof(buf)), "");
	CHECK("cmdline: a key prefix does not match", !cmdline_has("coun"));
	CHECK("cmdline: a longer key does not match", !cmdline_has("counts"));
	CHECK_STR("cmdline: lists stay one value",
		  cmdline_get("cpus", NULL, buf, sizeof(buf)), "0x2,0x3");
	CHECK_STR("cmdline: a value is cut to the buffer",
		  cmdline_get("mode", NULL, buf, 4), "hv-");

	memset(cmdline_page, 'a', sizeof(cmdline_page));
	cmdline_init(0);
	CHECK_EQ("cmdline: a page without NUL is terminated inside it",
		 strlen(cmdline_page), sizeof(cmdline_page) - 1);
	for (i = 0; i < 3; i++)
		cmdline_page[i] = "k=v"[i];
	cmdline_page[3] = ' ';
	CHECK_STR("cmdline: words in a full page still parse",
		  cmdline_get("k", NULL, buf, sizeof(buf)), "v");
}

static void test_format(void)
{
	char small[8];
	int n;

	CHECK_STR("printk: %d negative", fmt("%d", -5), "-5");
	CHECK_STR("printk: %5d", fmt("[%5d]", 42), "[   42]");
	CHECK_STR("printk: %-5d", fmt("[%-5d]", 42), "[42   ]");
	CHECK_STR("printk: %05d negative", fmt("%05d", -42), "-0042");
	CHECK_STR("printk: %u", fmt("%u", 4000000000U), "4000000000");
	CHECK_STR("printk: %x", fmt("%x", 255), "ff");
	CHECK_STR("printk: %X", fmt("%X", 255), "FF");
	CHECK_STR("printk: %#x", fmt("%#x", 255), "0xff");
	CHECK_STR("printk: %08x", fmt("%08x", 0x1234), "00001234");
	CHECK_STR("printk: %llx", fmt("%llx", 0x8000000000000001ULL), "8000000000000001");
	CHECK_STR("printk: %lld min", fmt("%lld", (long long)(-9223372036854775807LL - 1)),
		  "-9223372036854775808");
	CHECK_STR("printk: %llu max", fmt("%llu", 18446744073709551615ULL),
		  "18446744073709551615");
	CHECK_STR("printk: %ld", fmt("%ld", -38L), "-38");
	CHECK_STR("printk: %zu", fmt("%zu", (size_t)12), "12");
	CHECK_STR("printk: %s", fmt("<%s>", "abc"), "<abc>");
	CHECK_STR("printk: %s NULL", fmt("%s", (char *)NULL), "(null)");
	CHECK_STR("printk: %-4s", fmt("[%-4s]", "ab"), "[ab  ]");
	CHECK_STR("printk: %c and %%", fmt("%c%%", 'z'), "z%");
	CHECK_STR("printk: %p", fmt("%p", (void *)0x1000), "0x1000");
	CHECK_STR("printk: %02x byte", fmt("%02x", 0x5), "05");

	n = inmate_snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK_EQ("printk: snprintf returns the full length", n, 10);
	CHECK_STR("printk: snprintf truncates and terminates", small, "0123456");

	console_out[0] = '\0';
	inmate_printk("uart-demo: hello %llu\n", 3ULL);
	CHECK_STR("printk: writes the whole message to the console", console_out,
		  "uart-demo: hello 3\n");
}

int main(void)
{
	test_cmdline();
	test_format();
	return CHECK_DONE();
}
