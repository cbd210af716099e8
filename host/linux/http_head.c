#include "http_head.h"

#include <string.h>
#include <strings.h>

void http_head_start(struct http_head *head)
{
    memset(head, 0, sizeof *head);
}

static bool refuse(struct http_head *head, const char *problem)
{
    if (!head->problem) head->problem = problem;
    return false;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Trims optional whitespace from both ends of [*text, *text + *len). */
static void trim(const char **text, size_t *len)
{
    while (*len > 0 && blank(**text)) (*text)++, (*len)--;
    while (*len > 0 && blank((*text)[*len - 1])) (*len)--;
}

/* Reads 1*DIGIT at the start of [text, text + len) into *value (at most UINT32_MAX); the
 * number of digits read, 0 when none or too large. */
static size_t read_digits(const char *text, size_t len, uint32_t *value)
{
    uint64_t parsed = 0;
    size_t n = 0;
    while (n < len && text[n] >= '0' && text[n] <= '9') {
        parsed = parsed * 10u + (uint64_t)(text[n] - '0');
        if (parsed > UINT32_MAX) return 0;
        n++;
    }
    if (n > 0) *value = (uint32_t)parsed;
    return n;
}

bool http_parse_length(const char *text, size_t len, uint32_t *value)
{
    trim(&text, &len);
    return len > 0 && read_digits(text, len, value) == len;
}

/* "HTTP/<version> <3 digits>[ <reason>]": any reason phrase, of any length. */
static bool read_status_line(struct http_head *head, const char *line, size_t len)
{
    const char *space = memchr(line, ' ', len);
    if (!space) return refuse(head, "a status line without a status code");
    const char *code = space + 1;
    size_t left = len - (size_t)(code - line);
    if (left < 3 || (left > 3 && code[3] != ' ')) return refuse(head, "a status code that is not three digits");
    uint32_t status = 0;
    if (read_digits(code, 3, &status) != 3 || status < 100)
        return refuse(head, "a status code that is not three digits");
    head->status = (long)status;
    return true;
}

/* "bytes <first>-<last>/<total>" or "bytes <first>-<last>/*"; "bytes * /<total>" answers a 416.
 * False when malformed: the head then has no Content-Range. */
static bool read_content_range(struct http_head *head, const char *value, size_t len)
{
    trim(&value, &len);
    if (len < 6 || strncasecmp(value, "bytes ", 6) != 0) return false;
    const char *at = value + 6;
    const char *end = value + len;
    uint32_t first = 0, last = 0, total = 0;
    bool range = false;
    size_t n;
    if (at < end && *at == '*') {
        at++;
    } else {
        if (!(n = read_digits(at, (size_t)(end - at), &first))) return false;
        at += n;
        if (at >= end || *at++ != '-') return false;
        if (!(n = read_digits(at, (size_t)(end - at), &last))) return false;
        at += n;
        if (last < first) return false;
        range = true;
    }
    if (at >= end || *at++ != '/') return false;
    if (at < end && *at == '*' && at + 1 == end) {
        total = 0;
    } else {
        n = read_digits(at, (size_t)(end - at), &total);
        if (!n || at + n != end) return false;
        if (range && last >= total) return false;
    }
    if (range) {
        head->has_content_range = true;
        head->range_start = first;
    }
    head->total_length = total;
    return true;
}

static bool named(const char *line, size_t name_len, const char *name)
{
    return name_len == strlen(name) && strncasecmp(line, name, name_len) == 0;
}

bool http_head_line(struct http_head *head, const char *line, size_t len)
{
    if (head->problem) return false;
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n')) len--;
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response head (after a redirect or 100 Continue): start over. */
        http_head_start(head);
        return read_status_line(head, line, len);
    }
    if (len == 0) {
        bool redirect = head->status >= 300 && head->status < 400 && head->status != 304;
        if (head->status >= 200 && !redirect) {
            head->complete = true;
            /* Content-Length is the whole resource only in a 200; a 206's is the part's. */
            if (head->status == 200 && head->has_content_length) head->total_length = head->content_length;
            if (head->status == 206 && !head->has_content_range) {
                head->range_start = HTTP_RANGE_START_UNKNOWN;
                head->total_length = 0;
            }
        }
        return true;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon) return true; /* not a field we read (a folded line, or junk libcurl let through) */
    size_t name_len = (size_t)(colon - line);
    const char *value = colon + 1;
    size_t value_len = len - name_len - 1;
    if (named(line, name_len, "Content-Range") && !read_content_range(head, value, value_len)) {
        head->has_content_range = false; /* the 206's start is then unknown */
        head->range_start = 0;
        head->total_length = 0;
    }
    if (named(line, name_len, "Content-Length")) {
        uint32_t length = 0;
        if (!http_parse_length(value, value_len, &length))
            return refuse(head, "a Content-Length that is not a number below 4 GiB");
        if (head->has_content_length && head->content_length != length)
            return refuse(head, "two different Content-Length values");
        head->has_content_length = true;
        head->content_length = length;
    }
    return true;
}

const char *http_redirect_protocols(const char *url)
{
    return strncasecmp(url, "https:", 6) == 0 ? "https" : "http,https";
}
