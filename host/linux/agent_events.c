#include "agent_events.h"

#include <string.h>

/* Checks one export call: a trap asks for a restart, anything else is logged. */
static void check(struct agent_events *events, const char *export_name, int status, int32_t result)
{
    if (status == OTAU_AGENT_TRAPPED) {
        events->restart_needed = true; /* the core has logged the trap */
        return;
    }
    if (status != OTAU_AGENT_OK)
        linux_log(events->device, OTAU_LOG_ERROR, "%s failed: %s", export_name,
                  otau_agent_error(events->agent));
    else if (result != OTAU_ABI_OK)
        linux_log(events->device, OTAU_LOG_WARN, "%s returned %d", export_name, (int)result);
}

size_t agent_events_chunk_size(struct agent_events *events)
{
    uint32_t size = 0;
    otau_agent_io_buffer(events->agent, &size);
    return size;
}

void agent_events_config(struct agent_events *events, enum otau_config_source source,
                         const char *document, size_t len)
{
    if (events->closed) return;
    uint32_t capacity = 0;
    uint8_t *io = otau_agent_io_buffer(events->agent, &capacity);
    if (!io) return;
    memcpy(io, document, len < capacity ? len : capacity);
    int32_t result = 0;
    uint32_t full_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    check(events, "on_config",
          otau_agent_on_config(events->agent, (uint32_t)source, full_len, &result), result);
}

void agent_events_response(struct agent_events *events, uint32_t http_status, uint32_t range_start,
                           uint32_t total_length)
{
    if (events->closed) return;
    int32_t result = 0;
    check(events, "on_response",
          otau_agent_on_response(events->agent, http_status, range_start, total_length, &result),
          result);
}

void agent_events_data(struct agent_events *events, const uint8_t *bytes, size_t len)
{
    if (events->closed) return;
    uint32_t capacity = 0;
    uint8_t *io = otau_agent_io_buffer(events->agent, &capacity);
    if (!io || len > capacity) return;
    memcpy(io, bytes, len);
    int32_t result = 0;
    check(events, "on_data", otau_agent_on_data(events->agent, (uint32_t)len, &result), result);
}

void agent_events_data_end(struct agent_events *events, bool ok)
{
    if (events->closed) return;
    int32_t result = 0;
    check(events, "on_data_end", otau_agent_on_data_end(events->agent, ok ? 1u : 0u, &result),
          result);
}

void agent_events_tick(struct agent_events *events, uint64_t now_ms)
{
    if (events->closed) return;
    int32_t result = 0;
    /* The ABI's clock is a wrapping u32: only differences count. */
    check(events, "on_tick", otau_agent_on_tick(events->agent, (uint32_t)now_ms, &result), result);
}

void agent_events_healthy(struct agent_events *events)
{
    if (events->closed) return;
    int32_t result = 0;
    check(events, "on_healthy", otau_agent_on_healthy(events->agent, &result), result);
}

int32_t agent_events_state(struct agent_events *events)
{
    int32_t state = -1;
    int status = otau_agent_state(events->agent, &state);
    if (status != OTAU_AGENT_OK) {
        check(events, "agent_state", status, 0);
        return -1;
    }
    return state;
}
