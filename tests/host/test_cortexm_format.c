/* The boards' formatter (host/cortexm/cortexm_format.c), built natively: each conversion it
 * claims, truncation and NUL termination of vsnprintf, and `%?` for what it does not support. */
#include <stdarg.h>
#include <stdio.h>

#include "check.h"
#include "cortexm_format.h"

/* Through a pointer, so that the compiler cannot replace the call with its own checked one:
 * the program links the formatter's vsnprintf in place of the C library's. */
static int (*const format_into)(char *, size_t, const char *, va_list) = vsnprintf;

static char text[64];

static int format(size_t size, const char *format_text, ...)
{
    va_list args;
    va_start(args, format_text);
    int count = format_into(text, size, format_text, args);
    va_end(args);
    return count;
}

static void test_conversions(void)
{
    format(sizeof text, "%d %i %u %x %X %c %s %%", -42, 7, 4000000000u, 0xbeefu, 0xbeefu, 'z', "ok");
    CHECK(strcmp(text, "-42 7 4000000000 beef BEEF z ok %") == 0);
    format(sizeof text, "%ld %lu %zu", -2147483647L - 1, 4294967295UL, (size_t)12);
    CHECK(strcmp(text, "-2147483648 4294967295 12") == 0);
    format(sizeof text, "%d", 0);
    CHECK(strcmp(text, "0") == 0);
}

static void test_width_and_precision(void)
{
    format(sizeof text, "[%5d][%-5d][%05d][%02x][%04d]", 42, 42, 42, 0xau, -7);
    CHECK(strcmp(text, "[   42][42   ][00042][0a][-007]") == 0);
    format(sizeof text, "[%.*s][%.2s][%6s][%-4s]", 3, "abcdef", "xyz", "ab", "c");
    CHECK(strcmp(text, "[abc][xy][    ab][c   ]") == 0);
    format(sizeof text, "[%*d]", -4, 1);
    CHECK(strcmp(text, "[1   ]") == 0);
    format(sizeof text, "%s", (const char *)NULL);
    CHECK(strcmp(text, "(null)") == 0);
}

static void test_truncation(void)
{
    CHECK_INT(format(6, "report %u", 12345u), 12);
    CHECK(strcmp(text, "repor") == 0);
    text[0] = 'x';
    CHECK_INT(format(0, "abc"), 3);
    CHECK(text[0] == 'x');
}

static void test_unsupported_conversions_are_visible(void)
{
    format(sizeof text, "a %llu b %d", 1ULL, 2);
    CHECK(strcmp(text, "a %?") == 0);
    format(sizeof text, "x %f", 1.5);
    CHECK(strcmp(text, "x %?") == 0);
}

int main(void)
{
    RUN_TEST(test_conversions);
    RUN_TEST(test_width_and_precision);
    RUN_TEST(test_truncation);
    RUN_TEST(test_unsupported_conversions_are_visible);
    return check_exit_status();
}
