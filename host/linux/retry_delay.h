/* A doubling delay between attempts after failures (1 s, 2 s, 4 s … at most 30 s), reset by a
 * success: how the cloud links retry connections, polls and writes without hammering a server. */
#ifndef OTAU_RETRY_DELAY_H
#define OTAU_RETRY_DELAY_H

#include <stdbool.h>
#include <stdint.h>

#define RETRY_DELAY_FIRST_MS 1000u
#define RETRY_DELAY_MAX_MS 30000u

struct retry_delay {
    uint32_t delay_ms; /* 0: no failure since the last success */
    uint64_t due_ms;
};

/* An attempt failed at `now_ms`: the next one is due after a delay twice the last. */
void retry_delay_failed(struct retry_delay *retry, uint64_t now_ms);
void retry_delay_reset(struct retry_delay *retry);
bool retry_delay_due(const struct retry_delay *retry, uint64_t now_ms);

#endif /* OTAU_RETRY_DELAY_H */
