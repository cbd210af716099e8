/* otau-host's reading of an HTTP response head (host/linux/http_head.c): lines of any length,
 * Content-Length and Content-Range taken only when exactly valid, redirects kept on http(s). */
#include <stdlib.h>

#include "check.h"
#include "http_head.h"

/* Feeds the lines of `text` ("\r\n"-separated, ending with the blank line) to a new head. */
static bool read_head(struct http_head *head, const char *text)
{
    http_head_start(head);
    const char *at = text;
    while (*at) {
        const char *end = strstr(at, "\r\n");
        size_t len = end ? (size_t)(end - at) + 2 : strlen(at);
        if (!http_head_line(head, at, len)) return false;
        at += len;
    }
    return true;
}

static void test_a_status_line_with_a_300_byte_reason_phrase_is_read(void)
{
    char text[1024];
    char reason[301];
    memset(reason, 'k', 300);
    reason[300] = '\0';
    snprintf(text, sizeof text, "HTTP/1.1 200 %s\r\nContent-Length: 5000\r\n\r\n", reason);
    struct http_head head;
    CHECK(read_head(&head, text));
    CHECK_INT(head.status, 200);
    CHECK_INT(head.total_length, 5000);
    CHECK(head.complete);
}

static void test_a_600_byte_header_line_is_read_or_skipped_not_dropped(void)
{
    char text[2048];
    char filler[601];
    memset(filler, 'x', 600);
    filler[600] = '\0';
    snprintf(text, sizeof text, "HTTP/1.1 206 Partial Content\r\nX-Padding: %s\r\n"
             "Content-Range: bytes 8192-9999/10000%*s\r\n\r\n", filler, 300, "");
    struct http_head head;
    CHECK(read_head(&head, text));
    CHECK_INT(head.status, 206);
    CHECK_INT(head.range_start, 8192);
    CHECK_INT(head.total_length, 10000);
}

static void test_content_length_is_taken_only_when_it_is_a_number_below_4_gib(void)
{
    static const char *const refused[] = {"1e400", "5000abc", "4294967296", "99999999999999999999",
                                          "-1", "+5", "", " ", "0x10", "12 34", "1.0"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n", refused[i]);
        struct http_head head;
        if (read_head(&head, text)) fprintf(stderr, "Content-Length '%s' was accepted\n", refused[i]);
        CHECK(!read_head(&head, text));
        CHECK(head.problem != NULL);
        CHECK(!head.complete);
    }
    struct http_head head;
    CHECK(read_head(&head, "HTTP/1.1 200 OK\r\ncontent-length:  4294967295 \r\n\r\n"));
    CHECK_INT(head.total_length, 4294967295u);
    CHECK(read_head(&head, "HTTP/1.1 200 OK\r\nContent-Length: 007\r\n\r\n"));
    CHECK_INT(head.total_length, 7);
    CHECK(!read_head(&head, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 8\r\n\r\n"));
}

static void test_a_206_without_a_valid_content_range_starts_at_an_unknown_byte_never_0(void)
{
    static const char *const unreadable[] = {"bytes 10-5/100", "bytes 0-99/50", "bytes 1e3-2000/3000",
                                             "bytes 5-/100", "items 0-1/2", "bytes 0-9/10x",
                                             "bytes 0-9", "bytes 0-99999999999/*", ""};
    for (size_t i = 0; i < sizeof unreadable / sizeof unreadable[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "HTTP/1.1 206 Partial\r\nContent-Length: 10\r\n"
                 "Content-Range: %s\r\n\r\n", unreadable[i]);
        struct http_head head;
        CHECK(read_head(&head, text));
        if (head.range_start != HTTP_RANGE_START_UNKNOWN)
            fprintf(stderr, "Content-Range '%s' gave range start %u\n", unreadable[i], (unsigned)head.range_start);
        CHECK_INT(head.range_start, HTTP_RANGE_START_UNKNOWN);
        CHECK_INT(head.total_length, 0);
    }
    struct http_head head;
    CHECK(read_head(&head, "HTTP/1.1 206 Partial\r\nContent-Length: 10\r\n\r\n"));
    CHECK_INT(head.range_start, HTTP_RANGE_START_UNKNOWN);
    CHECK_INT(head.total_length, 0);
}

static void test_content_range_is_taken_when_it_is_a_valid_byte_range(void)
{
    struct http_head head;
    CHECK(read_head(&head, "HTTP/1.1 206 Partial\r\nContent-Range: bytes 100-199/*\r\n\r\n"));
    CHECK_INT(head.range_start, 100);
    CHECK_INT(head.total_length, 0);
    CHECK(read_head(&head, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */1000\r\n\r\n"));
    CHECK_INT(head.status, 416);
    CHECK_INT(head.total_length, 1000);
    CHECK(!head.has_content_range);
}

static void test_a_206_content_length_is_the_part_not_the_total(void)
{
    struct http_head head;
    CHECK(read_head(&head, "HTTP/1.1 206 Partial\r\nContent-Length: 100\r\n"
                           "Content-Range: bytes 900-999/1000\r\n\r\n"));
    CHECK_INT(head.total_length, 1000);
}

static void test_a_redirect_head_is_not_the_final_one(void)
{
    struct http_head head;
    CHECK(read_head(&head, "HTTP/1.1 302 Found\r\nLocation: http://b/\r\nContent-Length: 0\r\n\r\n"));
    CHECK(!head.complete);
    CHECK(http_head_line(&head, "HTTP/1.1 200 OK\r\n", 17));
    CHECK(http_head_line(&head, "Content-Length: 42\r\n", 20));
    CHECK(http_head_line(&head, "\r\n", 2));
    CHECK(head.complete);
    CHECK_INT(head.total_length, 42);
}

static void test_a_malformed_status_code_is_refused(void)
{
    struct http_head head;
    CHECK(!read_head(&head, "HTTP/1.1 20 OK\r\n\r\n"));
    CHECK(!read_head(&head, "HTTP/1.1 2000 OK\r\n\r\n"));
    CHECK(!read_head(&head, "HTTP/1.1\r\n\r\n"));
    CHECK(read_head(&head, "HTTP/2 200\r\n\r\n"));
    CHECK_INT(head.status, 200);
}

static void test_redirects_stay_on_http_and_never_leave_https(void)
{
    CHECK(strcmp(http_redirect_protocols("https://fw.example/a.bin"), "https") == 0);
    CHECK(strcmp(http_redirect_protocols("HTTPS://fw.example/a.bin"), "https") == 0);
    CHECK(strcmp(http_redirect_protocols("http://fw.example/a.bin"), "http,https") == 0);
}

int main(void)
{
    RUN_TEST(test_a_status_line_with_a_300_byte_reason_phrase_is_read);
    RUN_TEST(test_a_600_byte_header_line_is_read_or_skipped_not_dropped);
    RUN_TEST(test_content_length_is_taken_only_when_it_is_a_number_below_4_gib);
    RUN_TEST(test_a_206_without_a_valid_content_range_starts_at_an_unknown_byte_never_0);
    RUN_TEST(test_content_range_is_taken_when_it_is_a_valid_byte_range);
    RUN_TEST(test_a_206_content_length_is_the_part_not_the_total);
    RUN_TEST(test_a_redirect_head_is_not_the_final_one);
    RUN_TEST(test_a_malformed_status_code_is_refused);
    RUN_TEST(test_redirects_stay_on_http_and_never_leave_https);
    return check_exit_status();
}
