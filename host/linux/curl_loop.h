/* One libcurl multi handle that runs every HTTP transfer of otau-host run (the image fetch and
 * the Murano Device API calls) on the event loop's thread, without blocking it. */
#ifndef OTAU_CURL_LOOP_H
#define OTAU_CURL_LOOP_H

#include <stdbool.h>

#include <curl/curl.h>

/* A transfer's owner embeds one of these; `done` runs from curl_loop_perform() when the
 * transfer has finished (outside libcurl's callbacks, so it may add or remove transfers). */
struct curl_transfer {
    CURL *easy;
    void (*done)(struct curl_transfer *transfer, CURLcode result);
    bool running;
};

struct curl_loop;

struct curl_loop *curl_loop_new(void);
void curl_loop_free(struct curl_loop *loop);

/* Starts `transfer->easy`. False when libcurl refuses it. */
bool curl_loop_add(struct curl_loop *loop, struct curl_transfer *transfer);
/* Stops a running transfer; its `done` is not called. */
void curl_loop_remove(struct curl_loop *loop, struct curl_transfer *transfer);

/* Waits up to `timeout_ms` for activity on the transfers or on `extra` descriptors. */
void curl_loop_wait(struct curl_loop *loop, struct curl_waitfd *extra, unsigned extra_count,
                    int timeout_ms);
/* Moves every transfer on and calls `done` for those that finished. */
void curl_loop_perform(struct curl_loop *loop);

/* The HTTP status of a finished transfer (0 when no response arrived). */
long curl_transfer_status(const struct curl_transfer *transfer);

#endif /* OTAU_CURL_LOOP_H */
