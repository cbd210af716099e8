/* Kaa 1/KP over MQTT for the cmx_ota extension (docs/protocols.md "2. Kaa") as a cloud_link, on
 * libmosquitto driven from the event loop (no thread):
 *   publish  kp1/{app}/cmx_ota/{token}/config/json/{id}   {"observe":true}
 *   receive  …/config/json/{id}/status|error and pushes on …/config/json/status → on_config(2)
 *   publish  kp1/{app}/cmx_ota/{token}/applied/json/{id}  the agent's channel-1 documents
 * Channel-2 documents (statuses in otau_in form) stay on the device: they go to its log. */
#ifndef OTAU_KAA_LINK_H
#define OTAU_KAA_LINK_H

#include <stddef.h>

#include "agent_events.h"
#include "cloud_link.h"

struct kaa_settings {
    const char *broker_url; /* mqtt://host[:port] or mqtts://host[:port] */
    const char *application;
    const char *token;      /* the endpoint token: a topic level */
    const char *ca_file;    /* verifies an mqtts:// broker; NULL: the system's CAs */
    const char *username;   /* NULL: none */
    const char *password;
};

/* Fills `link`. False with a reason in `error` for a bad URL or token, or out of memory. */
bool kaa_link_open(struct cloud_link *link, struct agent_events *events,
                   const struct kaa_settings *settings, char *error, size_t error_size);

#endif /* OTAU_KAA_LINK_H */
