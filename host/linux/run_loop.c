#include "run_loop.h"

#include <string.h>

/* How often the agent hears the time: its retry and stall timers count in these steps. */
#define TICK_MS 100u
/* How long queued reports may take to leave before a reset or exit goes ahead without them. */
#define DRAIN_LIMIT_MS 10000u
#define DRAIN_WAIT_MS 50
#define MAX_WAIT_FDS 4u

static uint64_t now_ms(struct run_state *run)
{
    const struct otau_hal *hal = &run->session.hal;
    return hal->clock_ms(hal->context);
}

/* ---- the transport the agent's imports reach (linux_hal forwards to these) */

static int32_t run_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start)
{
    return http_fetch_start(&((struct run_state *)context)->fetch, url, url_len, range_start);
}

static void run_fetch_cancel(void *context)
{
    http_fetch_cancel(&((struct run_state *)context)->fetch);
}

static int32_t run_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    struct run_state *run = context;
    const char *text = (const char *)document;
    report_trace_write(&run->trace, channel, text, len);
    size_t goal_len = strlen(run->installed_report);
    /* Every channel but Kaa's applied carries otau_in documents, whose field order the agent fixes. */
    if (goal_len > 0 && channel != OTAU_CHANNEL_KAA_APPLIED && len >= goal_len && memcmp(text, run->installed_report, goal_len) == 0)
        run->installed = true;
    run->cloud.publish(run->cloud.context, channel, text, len);
    return 0;
}

/* The otau_in document's start that names `version` as installed, escaped as the agent does. */
static void set_exit_goal(struct run_state *run, const char *version)
{
    char *out = run->installed_report;
    size_t room = sizeof run->installed_report - 40;
    size_t used = (size_t)snprintf(out, room, "{\"version\":\"");
    for (const char *at = version; *at && used + 2 < room; at++) {
        if (*at == '"' || *at == '\\') out[used++] = '\\';
        out[used++] = *at;
    }
    snprintf(out + used, sizeof run->installed_report - used, "\",\"status\":\"INSTALLED_VERSION\"");
}

void run_loop_attach(struct run_state *run)
{
    run->transport = (struct linux_transport){
        .context = run,
        .fetch_start = run_fetch_start,
        .fetch_cancel = run_fetch_cancel,
        .publish = run_publish,
    };
    run->session.device.transport = &run->transport;
    run->events = (struct agent_events){.agent = run->session.agent, .device = &run->session.device};
    run->installed_report[0] = '\0';
    if (run->options->run.exit_when_installed) set_exit_goal(run, run->options->run.exit_when_installed);
}

/* Checks one start-up call; false when the agent cannot go on. */
static bool started(struct run_state *run, const char *what, int status, int32_t result)
{
    if (status != OTAU_AGENT_OK) {
        linux_log(&run->session.device, OTAU_LOG_ERROR, "%s failed: %s", what,
                  otau_agent_error(run->session.agent));
        return false;
    }
    if (result != 0) {
        linux_log(&run->session.device, OTAU_LOG_ERROR, "%s returned %d", what, (int)result);
        return false;
    }
    return true;
}

bool run_loop_boot_agent(struct run_state *run)
{
    otau_agent *agent = run->session.agent;
    int32_t result = 0;
    const char *version = run->options->run.firmware_version;
    if (version) {
        uint32_t capacity = 0;
        uint8_t *io = otau_agent_io_buffer(agent, &capacity);
        size_t len = strlen(version);
        if (!io || len > capacity) return false;
        memcpy(io, version, len);
        if (!started(run, "firmware_version",
                     otau_agent_firmware_version(agent, (uint32_t)len, &result), result))
            return false;
    }
    for (int i = 0; i < run->setting_count; i++) {
        const struct agent_setting *setting = &run->settings[i];
        if (!started(run, "configure",
                     otau_agent_configure(agent, setting->id, setting->value, &result), result))
            return false;
    }
    if (!started(run, "boot", otau_agent_boot(agent, &result), result)) return false;
    run->booted_at_ms = now_ms(run);
    run->on_trial = agent_events_state(&run->events) == OTAU_STATE_TRIAL;
    return true;
}

/* After a trap: a fresh instance, booted like a device start, asking the cloud again later. */
static bool restart_agent(struct run_state *run, uint64_t now)
{
    run->events.restart_needed = false;
    http_fetch_close(&run->fetch);
    linux_log(&run->session.device, OTAU_LOG_WARN, "restarting the agent after a trap");
    if (otau_agent_start(run->session.agent) != OTAU_AGENT_OK) {
        linux_log(&run->session.device, OTAU_LOG_ERROR, "cannot restart the agent: %s",
                  otau_agent_error(run->session.agent));
        return false;
    }
    if (!run_loop_boot_agent(run)) return false;
    retry_delay_failed(&run->resync_delay, now);
    run->resync_due = true;
    return true;
}

static void resync_when_due(struct run_state *run, uint64_t now)
{
    if (!run->resync_due || !retry_delay_due(&run->resync_delay, now)) return;
    run->resync_due = false;
    run->cloud.resync(run->cloud.context);
}

static void apply_health_policy(struct run_state *run, uint64_t now)
{
    uint32_t confirm_after = run->options->run.confirm_after_ms;
    if (!run->on_trial || confirm_after == HOST_NEVER_CONFIRM) return;
    if (now - run->booted_at_ms < confirm_after || !run->cloud.answered(run->cloud.context)) return;
    run->on_trial = false;
    linux_log(&run->session.device, OTAU_LOG_INFO,
              "the trial image ran %u ms and reached its cloud: confirming it", (unsigned)confirm_after);
    agent_events_healthy(&run->events);
}

/* Waits for the network (at most `timeout_ms`), then moves every transfer on. */
static void wait_and_transfer(struct run_state *run, int timeout_ms)
{
    struct curl_waitfd fds[MAX_WAIT_FDS];
    unsigned count = run->cloud.wait_fds(run->cloud.context, fds, MAX_WAIT_FDS);
    curl_loop_wait(run->curl, fds, count, timeout_ms);
    curl_loop_perform(run->curl);
}

/* The agent hears nothing more; what it reported still goes out, for a while. */
static void drain(struct run_state *run)
{
    run->events.closed = true;
    http_fetch_close(&run->fetch);
    uint64_t deadline = now_ms(run) + DRAIN_LIMIT_MS;
    for (;;) {
        uint64_t now = now_ms(run);
        run->cloud.service(run->cloud.context, now);
        if (run->cloud.drained(run->cloud.context)) return;
        if (now >= deadline) {
            linux_log(&run->session.device, OTAU_LOG_WARN, "reports still unsent after %u ms",
                      DRAIN_LIMIT_MS);
            return;
        }
        wait_and_transfer(run, DRAIN_WAIT_MS);
    }
}

enum run_outcome run_loop_run(struct run_state *run)
{
    struct linux_device *device = &run->session.device;
    uint64_t next_tick = now_ms(run);
    for (;;) {
        uint64_t now = now_ms(run);
        if (now >= next_tick) {
            agent_events_tick(&run->events, now);
            next_tick = now + TICK_MS;
        }
        apply_health_policy(run, now);
        if (run->events.restart_needed && !restart_agent(run, now)) return RUN_FAILED;
        resync_when_due(run, now);
        if (device->reset_requested || run->installed) break;
        run->cloud.service(run->cloud.context, now);
        int timeout = next_tick > now ? (int)(next_tick - now) : 0;
        wait_and_transfer(run, timeout);
        http_fetch_deliver(&run->fetch);
    }
    drain(run);
    if (device->reset_requested) {
        linux_log(device, OTAU_LOG_INFO, "reset: restarting through the bootloader");
        return RUN_RESET;
    }
    linux_log(device, OTAU_LOG_INFO, "version %s is installed: exiting",
              run->options->run.exit_when_installed);
    return RUN_EXIT;
}
