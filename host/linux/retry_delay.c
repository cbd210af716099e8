#include "retry_delay.h"

void retry_delay_failed(struct retry_delay *retry, uint64_t now_ms)
{
    retry->delay_ms = retry->delay_ms == 0 ? RETRY_DELAY_FIRST_MS : retry->delay_ms * 2;
    if (retry->delay_ms > RETRY_DELAY_MAX_MS) retry->delay_ms = RETRY_DELAY_MAX_MS;
    retry->due_ms = now_ms + retry->delay_ms;
}

void retry_delay_reset(struct retry_delay *retry)
{
    retry->delay_ms = 0;
    retry->due_ms = 0;
}

bool retry_delay_due(const struct retry_delay *retry, uint64_t now_ms)
{
    return now_ms >= retry->due_ms;
}
