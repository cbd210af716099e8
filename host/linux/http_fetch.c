#define _POSIX_C_SOURCE 200809L
#include "http_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FETCH_REFUSED -1
#define FETCH_PROTOCOLS "http,https"
#define CONNECT_TIMEOUT_S 15L
#define MAX_REDIRECTS 5L

static size_t on_header(char *line, size_t size, size_t count, void *context)
{
    struct http_fetch *fetch = context;
    size_t len = size * count;
    bool status_line = len >= 5 && strncmp(line, "HTTP/", 5) == 0;
    if (!http_head_line(&fetch->head, line, len)) {
        linux_log(fetch->events->device, OTAU_LOG_WARN, "fetch refused: the server sent %s",
                  fetch->head.problem);
        return 0; /* libcurl ends the transfer as failed */
    }
    if (status_line) {
        /* CURLOPT_REDIR_PROTOCOLS_STR keeps an https fetch on https; this catches the one path
         * it lets through, http -> https -> http. */
        const char *scheme = NULL;
        curl_easy_getinfo(fetch->transfer.easy, CURLINFO_SCHEME, &scheme);
        bool https = scheme && strcasecmp(scheme, "https") == 0;
        if (fetch->was_https && !https) {
            linux_log(fetch->events->device, OTAU_LOG_WARN,
                      "fetch refused: a redirect from https to http");
            return 0;
        }
        fetch->was_https = fetch->was_https || https;
    }
    return len;
}

/* Buffers the body; pauses the transfer while the agent has not taken what is buffered. */
static size_t on_body(char *bytes, size_t size, size_t count, void *context)
{
    struct http_fetch *fetch = context;
    size_t len = size * count;
    if (len > sizeof fetch->staging) return 0; /* cannot happen with libcurl's write sizes */
    if (fetch->staged + len > sizeof fetch->staging) {
        fetch->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    memcpy(fetch->staging + fetch->staged, bytes, len);
    fetch->staged += len;
    return len;
}

static void on_finished(struct curl_transfer *transfer, CURLcode result)
{
    struct http_fetch *fetch = (struct http_fetch *)transfer;
    fetch->finished = true;
    fetch->finished_ok = result == CURLE_OK;
    if (result != CURLE_OK)
        linux_log(fetch->events->device, OTAU_LOG_INFO, "fetch ended: %s",
                  curl_easy_strerror(result));
}

void http_fetch_init(struct http_fetch *fetch, struct curl_loop *loop, struct agent_events *events)
{
    memset(fetch, 0, sizeof *fetch);
    fetch->loop = loop;
    fetch->events = events;
    fetch->transfer.done = on_finished;
}

static void stop(struct http_fetch *fetch)
{
    curl_loop_remove(fetch->loop, &fetch->transfer);
    if (fetch->transfer.easy) curl_easy_cleanup(fetch->transfer.easy);
    fetch->transfer.easy = NULL;
    fetch->active = false;
    fetch->generation++;
}

void http_fetch_close(struct http_fetch *fetch)
{
    stop(fetch);
}

void http_fetch_cancel(struct http_fetch *fetch)
{
    if (fetch->active) linux_log(fetch->events->device, OTAU_LOG_DEBUG, "fetch cancelled");
    stop(fetch);
}

int32_t http_fetch_start(struct http_fetch *fetch, const char *url, size_t url_len,
                         uint32_t range_start)
{
    stop(fetch); /* one fetch at a time: a new one replaces the old */
    char *url_text = strndup(url, url_len);
    CURL *easy = curl_easy_init();
    if (!url_text || !easy || strlen(url_text) != url_len) {
        linux_log(fetch->events->device, OTAU_LOG_WARN, "cannot start a fetch of %.*s",
                  (int)url_len, url);
        free(url_text);
        if (easy) curl_easy_cleanup(easy);
        return FETCH_REFUSED;
    }
    char range[16];
    snprintf(range, sizeof range, "%u-", (unsigned)range_start);
    curl_easy_setopt(easy, CURLOPT_URL, url_text); /* libcurl keeps its own copy */
    if (range_start > 0) curl_easy_setopt(easy, CURLOPT_RANGE, range);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, fetch);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, fetch);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
    /* Only http(s), and a redirect never leaves https (libcurl's default also follows ftp). */
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, FETCH_PROTOCOLS);
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, http_redirect_protocols(url_text));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    /* Stalls are the agent's to detect (StallTimeoutMs): no transfer timeout here. */
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    free(url_text);

    fetch->transfer.easy = easy;
    http_head_start(&fetch->head);
    fetch->was_https = false;
    fetch->response_delivered = false;
    fetch->staged = 0;
    fetch->delivered = 0;
    fetch->paused = false;
    fetch->finished = false;
    fetch->finished_ok = false;
    if (!curl_loop_add(fetch->loop, &fetch->transfer)) {
        stop(fetch);
        return FETCH_REFUSED;
    }
    fetch->active = true;
    fetch->generation++;
    linux_log(fetch->events->device, OTAU_LOG_DEBUG, "fetch %.*s from byte %u", (int)url_len, url,
              (unsigned)range_start);
    return 0;
}

/* True while the agent still wants this fetch's events: any call into it may cancel the fetch,
 * start another, or trap. */
static bool wanted(const struct http_fetch *fetch, uint32_t generation)
{
    return fetch->active && fetch->generation == generation && !fetch->events->restart_needed;
}

void http_fetch_deliver(struct http_fetch *fetch)
{
    const uint32_t generation = fetch->generation;
    if (!fetch->active) return;
    if (!fetch->response_delivered && (fetch->head.complete || fetch->finished)) {
        fetch->response_delivered = true;
        if (fetch->head.complete)
            agent_events_response(fetch->events, (uint32_t)fetch->head.status,
                                  fetch->head.range_start, fetch->head.total_length);
    }
    size_t chunk = agent_events_chunk_size(fetch->events);
    /* Only whole I/O buffers until the transfer ends: the agent then sees the same chunks
     * however the network split the body, and its progress reports do not depend on it. */
    while (wanted(fetch, generation) && chunk > 0) {
        while (wanted(fetch, generation) &&
               (fetch->staged - fetch->delivered >= chunk ||
                (fetch->finished && fetch->delivered < fetch->staged))) {
            size_t len = fetch->staged - fetch->delivered;
            if (len > chunk) len = chunk;
            const uint8_t *bytes = fetch->staging + fetch->delivered;
            fetch->delivered += len;
            agent_events_data(fetch->events, bytes, len);
        }
        if (!wanted(fetch, generation)) return;
        memmove(fetch->staging, fetch->staging + fetch->delivered, fetch->staged - fetch->delivered);
        fetch->staged -= fetch->delivered;
        fetch->delivered = 0;
        if (!fetch->paused) break;
        /* Resuming may hand over more bytes at once: deliver those too. */
        fetch->paused = false;
        curl_easy_pause(fetch->transfer.easy, CURLPAUSE_CONT);
    }
    if (wanted(fetch, generation) && fetch->finished && fetch->staged == 0) {
        stop(fetch); /* before the agent hears of it: it may start the next fetch right away */
        agent_events_data_end(fetch->events, fetch->finished_ok);
    }
}
