/*
 * The application: one build per version and per slot (the Makefile's APP_VERSION and
 * APP_SLOT; app.ld.S links it to run in place from that slot). At start it prints
 *
 *   app <version> running from slot <A|B>
 *
 * (the version compiled in, the slot from the address it is linked to run from), starts the agent with
 * that version and the slots' addresses (flash_layout.h: another slot's build is refused at its
 * header), says hello to the bridge over the UART, and feeds the agent what the bridge sends. Its health check: the agent started and booted, and the cloud answered through the
 * bridge; only then does it call on_healthy (which confirms a trial boot). It kicks the
 * watchdog from its main loop and resets the machine when the agent asks.
 *
 * APP_DEFECT builds the faulty 2.0.0 images of the rollback tests: `noconfirm` resets where it
 * would confirm, `fault` hard-faults at start, `hang` stops kicking the watchdog at start.
 */
#include <stdbool.h>
#include <string.h>

#include "agent_session.h"
#include "app_startup.h"
#include "board.h"
#include "board_hal.h"
#include "bridge_link.h"
#include "cpu.h"
#include "flash_layout.h"
#include "semihost.h"
#include "slot_image.h"
#include "uart.h"
#include "watchdog.h"

#ifndef APP_VERSION
#error "APP_VERSION must name the version this build is (make APP_VERSION=...)"
#endif

#define TICK_MS 20u
/* The agent trapping again and again in one boot: reset rather than spin. */
#define MAX_TRAP_RESTARTS 3

extern const uint8_t __slot_start[]; /* app.ld.S: the slot this build is linked to run from */

static struct bridge_link link;
static bool reset_requested;

/* The agent asks for a reset from inside a call: the main loop performs it once the call returns. */
static void app_reset(void *context)
{
    (void)context;
    reset_requested = true;
}

/* Each status on the console too, then to the bridge. */
static int32_t app_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    console_printf("report %u: %.*s\n", (unsigned)channel, (int)len, (const char *)document);
    return bridge_publish(context, channel, document, len);
}

static const struct otau_hal app_hal = {
    .context = &link,
    .flash_info = board_flash_info,
    .flash_read = board_flash_read,
    .flash_write = board_flash_write,
    .flash_erase = board_flash_erase,
    .log = board_log,
    .clock_ms = board_clock_ms,
    .reset = app_reset,
    .fetch_start = bridge_fetch_start,
    .fetch_cancel = bridge_fetch_cancel,
    .publish = app_publish,
};

static const char *running_slot(void)
{
    uint32_t here = (uint32_t)__slot_start;
    if (here == NOR_SLOT_A_ADDRESS) return "A";
    if (here == NOR_SLOT_B_ADDRESS) return "B";
    return "?";
}

static void reset_now(const char *why)
{
    console_printf("app: %s; resetting\n", why);
    cpu_system_reset();
}

/* Where each slot's image runs, so that the agent refuses another slot's build at its header. */
static bool configure_slot_addresses(otau_agent *agent)
{
    int32_t result = 0;
    return call_ok(agent, otau_agent_configure(agent, OTAU_SETTING_SLOT_ADDRESS_A, NOR_SLOT_A_ADDRESS, &result), result,
                   "configure") &&
           call_ok(agent, otau_agent_configure(agent, OTAU_SETTING_SLOT_ADDRESS_B, NOR_SLOT_B_ADDRESS, &result), result,
                   "configure");
}

/* Starts (or restarts) the agent and says hello to the bridge, which answers with the cloud. */
static bool start_agent(otau_agent *agent)
{
    if (!agent_start(agent) || !configure_slot_addresses(agent)) return false;
    /* The factory record measures this image's own bytes (MCUboot header, body and TLVs) when
     * slot A has no record yet. */
    uint32_t image_size = slot_image_size((uint32_t)__slot_start);
    if (agent_boot(agent, APP_VERSION, image_size, true) != CALL_DONE) return false;
    bridge_link_hello(&link, APP_VERSION, running_slot());
    return true;
}

/* The health check: the agent runs (it booted) and the cloud answered. */
static enum call_outcome check_health(otau_agent *agent, bool *confirmed)
{
    if (*confirmed || !link.cloud_answered || agent_state(agent) != OTAU_STATE_TRIAL) return CALL_DONE;
#ifdef APP_DEFECT_noconfirm
    reset_now("defect: never confirming this build");
#endif
    *confirmed = true;
    console_printf("app: health check passed (agent started, cloud answered); confirming\n");
    return confirm_trial(agent);
}

/* One pass of the main loop: a bridge frame, a tick when due, the health check. */
static enum call_outcome step(otau_agent *agent, bool *confirmed, uint32_t *last_tick)
{
    enum call_outcome outcome = call_outcome(agent, bridge_link_poll(&link, agent), 0, "a bridge event");
    uint32_t now = (uint32_t)board_clock_ms(NULL);
    if (outcome == CALL_DONE && now - *last_tick >= TICK_MS) {
        int32_t result = 0;
        *last_tick = now;
        outcome = call_outcome(agent, otau_agent_on_tick(agent, now, &result), result, "on_tick");
    }
    if (outcome == CALL_DONE) outcome = check_health(agent, confirmed);
    return outcome;
}

int main(void)
{
    console_printf("app %s running from slot %s\n", APP_VERSION, running_slot());
    console_printf("measure app_first_line_instructions %lu\n", board_instructions(board_ticks()));
#if defined APP_DEFECT_fault || defined APP_DEFECT_hang
    /* Read at run time, so the build keeps all the code a working one has. */
    static volatile bool defective = true;
#endif
#ifdef APP_DEFECT_fault
    if (defective) __builtin_trap(); /* an undefined instruction: HardFault */
#endif
#ifdef APP_DEFECT_hang
    while (defective) {
    }
#endif
    watchdog_kick();
    uart_init();
    otau_agent *agent = agent_new(&app_hal);
    if (!agent) reset_now("no memory for the agent");
    if (!start_agent(agent)) reset_now("the agent did not start");
    bool confirmed = false;
    uint32_t last_tick = (uint32_t)board_clock_ms(NULL);
    for (unsigned restarts = 0;;) {
        watchdog_kick();
        /* Nothing to read: asleep until a byte arrives or the next millisecond. Under QEMU this
         * leaves the host's CPU to the emulated UART instead of spinning on it. */
        if (!uart_has_byte()) app_sleep();
        enum call_outcome outcome = step(agent, &confirmed, &last_tick);
        if (reset_requested) reset_now("the agent asked for a reset");
        if (outcome == CALL_DONE) continue;
        if (outcome == CALL_FAILED) reset_now("the agent failed");
        if (++restarts > MAX_TRAP_RESTARTS) reset_now("the agent trapped too often");
        console_printf("app: restarting the agent after a trap\n");
        bridge_fetch_cancel(&link);
        if (!start_agent(agent)) reset_now("the agent did not start again");
    }
}
