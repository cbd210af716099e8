/* The agent's `fetch`: one ranged HTTP(S) GET at a time over libcurl, its answer fed back as
 * on_response (status, first byte offset, total length from Content-Range or Content-Length),
 * on_data in I/O-buffer-sized chunks and on_data_end. libcurl's callbacks only record and
 * buffer; the agent is called from http_fetch_deliver() on the event loop, where it may
 * cancel or start fetches. */
#ifndef OTAU_HTTP_FETCH_H
#define OTAU_HTTP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_events.h"
#include "curl_loop.h"
#include "http_head.h"

/* Body bytes buffered between libcurl and the agent: more than libcurl's largest write
 * (CURL_MAX_WRITE_SIZE) plus a partial I/O buffer, so that a paused transfer can always resume. */
#define HTTP_FETCH_STAGING_BYTES (64u * 1024u)

struct http_fetch {
    struct curl_transfer transfer;
    struct curl_loop *loop;
    struct agent_events *events;
    bool active;           /* a fetch is under way: its events are still due */
    uint32_t generation;   /* changes whenever a fetch starts or stops */
    /* The final response's head, as the header callback saw it. */
    struct http_head head;
    bool was_https; /* some response of this fetch came over https: no later one may not */
    bool response_delivered;
    /* Body bytes waiting for on_data. */
    uint8_t staging[HTTP_FETCH_STAGING_BYTES];
    size_t staged;
    size_t delivered;
    bool paused;
    /* The transfer has finished; on_data_end is due once the staged bytes are delivered. */
    bool finished;
    bool finished_ok;
};

void http_fetch_init(struct http_fetch *fetch, struct curl_loop *loop, struct agent_events *events);
/* Ends any fetch still running (no more events for it). */
void http_fetch_close(struct http_fetch *fetch);

/* The `fetch` import: 0 started, -1 when libcurl cannot start it (a failed attempt). */
int32_t http_fetch_start(struct http_fetch *fetch, const char *url, size_t url_len,
                         uint32_t range_start);
/* The `fetch_cancel` import. */
void http_fetch_cancel(struct http_fetch *fetch);

/* Delivers what arrived since the last call, in order: response, data, end. */
void http_fetch_deliver(struct http_fetch *fetch);

#endif /* OTAU_HTTP_FETCH_H */
