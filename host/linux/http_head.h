/* Reading an HTTP response head as libcurl hands it over, one line at a time, strictly: a
 * value the agent would be told (status, first byte offset, total length) is taken only when
 * it is exactly what RFC 9110 allows. A malformed status code or Content-Length (by which
 * libcurl frames the body) refuses the head as a whole, with the reason; a 206 whose
 * Content-Range is missing or malformed is reported as starting at HTTP_RANGE_START_UNKNOWN.
 * No line is too long to read (a 300-byte reason phrase is still a status line). */
#ifndef OTAU_HTTP_HEAD_H
#define OTAU_HTTP_HEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* on_response's rangeStart for a 206 without a readable Content-Range (docs/abi.md): never 0,
 * or its bytes would land at the start of the file. */
#define HTTP_RANGE_START_UNKNOWN 0xFFFFFFFFu

struct http_head {
    long status;
    uint32_t range_start;   /* first byte of the body, from Content-Range (206; HTTP_RANGE_START_UNKNOWN without one) */
    uint32_t total_length;  /* the whole resource: Content-Range's total, or a 200's Content-Length; 0 unknown */
    bool has_content_range; /* a Content-Range with a byte range was read */
    bool has_content_length;
    uint32_t content_length;
    bool complete;          /* the final response's head ended (not a redirect, not 1xx) */
    const char *problem;    /* why the head is refused; NULL while it is well formed */
};

/* Clears `head` for the next response. */
void http_head_start(struct http_head *head);

/* One header line as received (CRLF included or not). A status line starts a new response head
 * (after a redirect or 100 Continue). False once the head is refused: `problem` says why. */
bool http_head_line(struct http_head *head, const char *line, size_t len);

/* A Content-Length value: 1*DIGIT between optional blanks, at most UINT32_MAX. */
bool http_parse_length(const char *text, size_t len, uint32_t *value);

/* The protocols a fetch of `url` may be redirected to: never from https to http, never to
 * anything but http(s) (libcurl's CURLOPT_REDIR_PROTOCOLS_STR syntax). */
const char *http_redirect_protocols(const char *url);

#endif /* OTAU_HTTP_HEAD_H */
