/* The Murano HTTP Device API (docs/protocols.md "Transport: the HTTP Device API") as a
 * cloud_link: activation by identity (the token, CIK, is kept in a file so restarts reuse it),
 * a long-poll of `config_otau` whose answers go to on_config(source 0), and `otau_in` writes
 * of the agent's channel-0 reports, one at a time and in order. */
#ifndef OTAU_MURANO_LINK_H
#define OTAU_MURANO_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "agent_events.h"
#include "cloud_link.h"
#include "curl_loop.h"

struct murano_settings {
    const char *base_url;  /* e.g. https://<product>.m2.exosite.io, no trailing slash needed */
    const char *identity;
    const char *cik_file;
    uint32_t poll_timeout_ms; /* Request-Timeout, at most MURANO_MAX_POLL_TIMEOUT_MS */
};

#define MURANO_MAX_POLL_TIMEOUT_MS 300000u

/* Fills `link`. False with a reason in `error` when out of memory or the CIK file is unreadable. */
bool murano_link_open(struct cloud_link *link, struct curl_loop *loop, struct agent_events *events,
                      const struct murano_settings *settings, char *error, size_t error_size);

#endif /* OTAU_MURANO_LINK_H */
