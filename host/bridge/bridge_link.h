/*
 * A board's side of the UART bridge (docs/uart-bridge.md), over the board's UART
 * (bridge_uart.h): the HAL's transport hooks
 * (fetch_start, fetch_cancel, publish) become frames to the bridge, which carries them to the
 * cloud; what the bridge sends back (the cloud's answer, config documents, a fetch's response,
 * data and end) is handed to the agent from the main loop, one frame per call of
 * bridge_link_poll().
 */
#ifndef BRIDGE_LINK_H
#define BRIDGE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "otau_agent.h"
#include "uart_frames.h"

struct bridge_link {
    struct frame_reader reader;
    uint8_t fetch_id;   /* the fetch in progress; frames of an older one are dropped */
    bool fetching;
    bool cloud_answered; /* the bridge reached the cloud for this boot (a LINK frame) */
};

/* A new boot (or a restarted agent): the bridge drops what it held for the device, reads
 * config_otau again and answers with LINK once the cloud has. `version` is informational. */
void bridge_link_hello(struct bridge_link *link, const char *version, const char *slot);

/* The HAL's transport hooks; `context` is a struct bridge_link. */
int32_t bridge_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start);
void bridge_fetch_cancel(void *context);
int32_t bridge_publish(void *context, uint32_t channel, const uint8_t *document, size_t len);

/* Reads what the UART holds up to the end of one frame and delivers that frame to the agent.
 * Returns the core's status of the call it made (OTAU_AGENT_OK when none). */
int bridge_link_poll(struct bridge_link *link, otau_agent *agent);

#endif
