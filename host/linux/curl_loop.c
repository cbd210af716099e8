#include "curl_loop.h"

#include <stdlib.h>

struct curl_loop {
    CURLM *multi;
};

struct curl_loop *curl_loop_new(void)
{
    struct curl_loop *loop = calloc(1, sizeof *loop);
    if (!loop) return NULL;
    loop->multi = curl_multi_init();
    if (!loop->multi) {
        free(loop);
        return NULL;
    }
    return loop;
}

void curl_loop_free(struct curl_loop *loop)
{
    if (!loop) return;
    curl_multi_cleanup(loop->multi);
    free(loop);
}

bool curl_loop_add(struct curl_loop *loop, struct curl_transfer *transfer)
{
    curl_easy_setopt(transfer->easy, CURLOPT_PRIVATE, transfer);
    transfer->running = curl_multi_add_handle(loop->multi, transfer->easy) == CURLM_OK;
    return transfer->running;
}

void curl_loop_remove(struct curl_loop *loop, struct curl_transfer *transfer)
{
    if (!transfer->running) return;
    /* Also drops a completion message still queued for this handle. */
    curl_multi_remove_handle(loop->multi, transfer->easy);
    transfer->running = false;
}

void curl_loop_wait(struct curl_loop *loop, struct curl_waitfd *extra, unsigned extra_count,
                    int timeout_ms)
{
    curl_multi_poll(loop->multi, extra, extra_count, timeout_ms, NULL);
}

void curl_loop_perform(struct curl_loop *loop)
{
    int running = 0;
    curl_multi_perform(loop->multi, &running);
    /* One message at a time: a `done` may remove other transfers and with them their messages. */
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(loop->multi, &queued))) {
        if (message->msg != CURLMSG_DONE) continue;
        struct curl_transfer *transfer = NULL;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&transfer);
        CURLcode result = message->data.result;
        curl_loop_remove(loop, transfer);
        transfer->done(transfer, result);
    }
}

long curl_transfer_status(const struct curl_transfer *transfer)
{
    long status = 0;
    curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}
