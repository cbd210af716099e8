/* The event loop of otau-host run: one thread that waits on libcurl's transfers and the
 * cloud's socket, feeds the agent its events (ticks, configs, fetch data), applies the health
 * policy, restarts the agent after a trap, and ends on a reset or on the exit goal. */
#ifndef OTAU_RUN_LOOP_H
#define OTAU_RUN_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "agent_events.h"
#include "agent_settings.h"
#include "cloud_link.h"
#include "curl_loop.h"
#include "device_session.h"
#include "http_fetch.h"
#include "report_trace.h"
#include "retry_delay.h"

struct run_state {
    struct device_session session;
    const struct host_options *options;
    struct agent_setting settings[HOST_OPTIONS_MAX_SETTINGS + 1]; /* --setting, then the cloud */
    int setting_count;
    struct agent_events events;
    struct curl_loop *curl;
    struct http_fetch fetch;
    struct cloud_link cloud;
    struct report_trace trace;
    struct linux_transport transport;
    /* The health policy: a trial image is confirmed once it has run confirm_after_ms and its
     * cloud has answered. */
    uint64_t booted_at_ms;
    bool on_trial;
    /* After a trap the cloud is asked again only after a doubling delay: a document that
     * makes the agent trap must not turn into a restart loop against the cloud. */
    struct retry_delay resync_delay;
    bool resync_due;
    /* --exit-when-installed: the start of the report that ends the run. */
    char installed_report[160];
    bool installed;
};

enum run_outcome {
    RUN_EXIT,    /* the exit goal was reached */
    RUN_RESET,   /* the agent asked for a reset: re-execute through the bootloader */
    RUN_FAILED   /* the agent cannot run */
};

/* Fills the transport hooks of `run->session.device` (fetch, publish) with the loop's. */
void run_loop_attach(struct run_state *run);
/* Configures and boots the agent (docs/abi.md start-up steps 3 and 4). False when it cannot. */
bool run_loop_boot_agent(struct run_state *run);
/* Runs until a reset, the exit goal, or a failure; reports still queued are sent first. */
enum run_outcome run_loop_run(struct run_state *run);

#endif /* OTAU_RUN_LOOP_H */
