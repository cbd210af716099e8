/* Delivering the host's events to the agent (docs/abi.md exports) for otau-host run. A trap is
 * not handled here: it only sets `restart_needed`, and the event loop restarts the agent once
 * the current delivery has unwound. Every other failure is logged and the event dropped. */
#ifndef OTAU_AGENT_EVENTS_H
#define OTAU_AGENT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux_hal.h"
#include "otau_abi.h"
#include "otau_agent.h"

struct agent_events {
    otau_agent *agent;
    struct linux_device *device;
    bool restart_needed;
    bool closed; /* set before a reset or exit: events still arriving are dropped */
};

/* The document goes into the I/O buffer; a longer one is cut to it and its full length passed. */
void agent_events_config(struct agent_events *events, enum otau_config_source source,
                         const char *document, size_t len);
void agent_events_response(struct agent_events *events, uint32_t http_status, uint32_t range_start,
                           uint32_t total_length);
/* At most agent_events_chunk_size() bytes. */
void agent_events_data(struct agent_events *events, const uint8_t *bytes, size_t len);
void agent_events_data_end(struct agent_events *events, bool ok);
void agent_events_tick(struct agent_events *events, uint64_t now_ms);
void agent_events_healthy(struct agent_events *events);
/* agent_state(), or -1 when the agent cannot answer. */
int32_t agent_events_state(struct agent_events *events);
/* The I/O buffer's size: the largest on_data chunk (0 while no instance runs). */
size_t agent_events_chunk_size(struct agent_events *events);

#endif /* OTAU_AGENT_EVENTS_H */
