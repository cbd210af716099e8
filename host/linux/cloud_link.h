/* What otau-host run needs from a cloud: hand it the agent's reports, let it deliver config
 * documents to the agent, and tell the event loop what to wait on. One implementation per
 * cloud: murano_link.c (HTTP Device API) and kaa_link.c (1/KP over MQTT). */
#ifndef OTAU_CLOUD_LINK_H
#define OTAU_CLOUD_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

struct cloud_link {
    void *context;
    /* A report of the agent's (docs/abi.md `report`); the link sends those its cloud hears. */
    void (*publish)(void *context, uint32_t channel, const char *document, size_t len);
    /* Moves the link on after every wait: connect, poll, send, deliver configs to the agent. */
    void (*service)(void *context, uint64_t now_ms);
    /* Descriptors to wait on besides libcurl's; returns how many it filled in. */
    unsigned (*wait_fds)(void *context, struct curl_waitfd *fds, unsigned capacity);
    /* The agent was restarted: ask the cloud for the current config again. */
    void (*resync)(void *context);
    /* True once the cloud answered a config request since start (the health policy's proof
     * that the running image reaches its cloud). */
    bool (*answered)(void *context);
    /* True when every report handed over has been delivered. */
    bool (*drained)(void *context);
    void (*close)(void *context);
};

#endif /* OTAU_CLOUD_LINK_H */
