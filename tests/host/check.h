/* A minimal test harness: named test functions, checks that report file:line and carry on. */
#ifndef OTAU_TEST_CHECK_H
#define OTAU_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            check_failures++;                                                             \
        }                                                                                 \
    } while (0)

#define CHECK_INT(actual, expected)                                                           \
    do {                                                                                      \
        long long actual_value = (long long)(actual);                                         \
        long long expected_value = (long long)(expected);                                     \
        if (actual_value != expected_value) {                                                 \
            fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual, \
                    actual_value, expected_value);                                            \
            check_failures++;                                                                 \
        }                                                                                     \
    } while (0)

#define CHECK_CONTAINS(text, part)                                                          \
    do {                                                                                    \
        const char *checked_text = (text);                                                  \
        if (!strstr(checked_text, (part))) {                                                \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,  \
                    checked_text, (part));                                                  \
            check_failures++;                                                               \
        }                                                                                   \
    } while (0)

#define RUN_TEST(test) run_test(#test, test)

static void run_test(const char *name, void (*test)(void))
{
    int failures_before = check_failures;
    test();
    printf("%s - %s\n", check_failures == failures_before ? "ok" : "not ok", name);
}

/* The exit status of a test program. */
static int check_exit_status(void)
{
    if (check_failures) fprintf(stderr, "%d check(s) failed\n", check_failures);
    return check_failures ? 1 : 0;
}

#endif /* OTAU_TEST_CHECK_H */
