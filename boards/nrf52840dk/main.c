/*
 * The nRF52840 DK firmware: at every reset the bootloader's decision over the NVMC flash,
 * then the agent under wasm3, fed a tick every TICK_MS. It reaches the cloud through the UART
 * bridge (docs/uart-bridge.md) over the DK's USB-UART: the agent's fetch and reports become
 * frames, the bridge's answers are delivered from the main loop. Log lines and reports also go
 * to a RAM ring that a debugger can read (`log_ring`). See README.md.
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "boot_decision.h"
#include "boot_flash_hal.h"
#include "boot_status.h"
#include "bridge_link.h"
#include "nvmc_flash.h"
#include "otau_agent.h"
#include "uart.h"

extern const uint8_t agent_wasm_start[], agent_wasm_end[]; /* agent_wasm.S */

#define FIRMWARE_VERSION "1.0.0"
#define AGENT_MEMORY_LIMIT 29184u /* what the QEMU board gives it (and measures) */
#define AGENT_STACK_SIZE (4u * 1024u)
#define TICK_MS 100u
#define LOG_RING_SIZE 2048u


/* ---- The log: a ring of text lines in RAM, newest last; `log_next` is where the next byte goes. */
char log_ring[LOG_RING_SIZE];
uint32_t log_next;

static void ring_put(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        log_ring[log_next] = text[i];
        log_next = (log_next + 1u) % LOG_RING_SIZE;
    }
}

static void ring_line(const char *prefix, const char *text, size_t len)
{
    ring_put(prefix, strlen(prefix));
    ring_put(text, len);
    ring_put("\n", 1);
}

/* ---- The HAL. */
static int32_t hal_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    (void)context;
    return nvmc_flash_info(area, info);
}

static int32_t hal_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst,
                              uint32_t len)
{
    (void)context;
    return nvmc_flash_read(area, offset, dst, len);
}

static int32_t hal_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                               uint32_t len)
{
    (void)context;
    return nvmc_flash_write(area, offset, src, len);
}

static int32_t hal_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    (void)context;
    return nvmc_flash_erase(area, offset, len);
}

static void hal_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    static const char *const prefixes[] = {"error: ", "warn: ", "info: ", "debug: "};
    (void)context;
    ring_line(prefixes[level], text, len);
}

static uint64_t hal_clock_ms(void *context)
{
    (void)context;
    return board_clock_ms();
}

static bool reset_requested;
static struct bridge_link link;

/* The agent asks from inside a call; the main loop resets once the call has returned. */
static void hal_reset(void *context)
{
    (void)context;
    reset_requested = true;
}

static int32_t hal_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    ring_line("report: ", (const char *)document, len);
    return bridge_publish(context, channel, document, len);
}

static const struct otau_hal hal = {
    .context = &link,
    .flash_info = hal_flash_info,
    .flash_read = hal_flash_read,
    .flash_write = hal_flash_write,
    .flash_erase = hal_flash_erase,
    .log = hal_log,
    .clock_ms = hal_clock_ms,
    .reset = hal_reset,
    .fetch_start = bridge_fetch_start,
    .fetch_cancel = bridge_fetch_cancel,
    .publish = hal_publish,
};

static void log_text(const char *text)
{
    hal_log(NULL, OTAU_LOG_INFO, text, strlen(text));
}

/* The bootloader: picks the slot and stores its record update before anything else runs. */
static void bootloader(void)
{
    static struct boot_decision decision;
    struct boot_flash flash;
    char line[80];
    int status = boot_flash_from_hal(&flash, &hal);
    if (status == BOOT_OK) status = boot_decide(&flash, &decision);
    if (status == BOOT_OK) status = boot_decision_apply(&flash, &decision);
    if (status != BOOT_OK)
        snprintf(line, sizeof line, "bootloader: %s", boot_status_name(status));
    else
        snprintf(line, sizeof line, "bootloader: slot %s (%s)", boot_slot_name(decision.slot),
                 boot_rule_name(decision.rule));
    log_text(line);
}

/* (Re)starts the agent and delivers the boot events; false when it cannot run. */
static bool agent_boot(otau_agent *agent)
{
    int32_t result = 0;
    if (otau_agent_start(agent) != OTAU_AGENT_OK) return false;
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = sizeof FIRMWARE_VERSION - 1;
    memcpy(io, FIRMWARE_VERSION, len);
    if (otau_agent_firmware_version(agent, len, &result) != OTAU_AGENT_OK ||
        otau_agent_boot(agent, &result) != OTAU_AGENT_OK)
        return false;
    bridge_link_hello(&link, FIRMWARE_VERSION, "A");
    return true;
}

/* The health check: the agent booted and the cloud answered through the bridge; only then is
 * a trial image confirmed. */
static void check_health(otau_agent *agent, bool *confirmed)
{
    int32_t state = 0, result = 0;
    if (*confirmed || !link.cloud_answered) return;
    if (otau_agent_state(agent, &state) != OTAU_AGENT_OK || state != OTAU_STATE_TRIAL) return;
    *confirmed = true;
    log_text("board: health check passed (agent started, cloud answered); confirming");
    otau_agent_on_healthy(agent, &result);
}

int main(void)
{
    static const struct otau_agent_config config = {AGENT_MEMORY_LIMIT, AGENT_STACK_SIZE};
    bootloader();
    uart_init();
    otau_agent *agent = otau_agent_new(&hal, agent_wasm_start,
                                       (uint32_t)(agent_wasm_end - agent_wasm_start), &config);
    if (!agent) {
        log_text("board: out of memory for the agent");
        return 1;
    }
    bool running = agent_boot(agent);
    if (!running) hal_log(NULL, OTAU_LOG_ERROR, otau_agent_error(agent), strlen(otau_agent_error(agent)));
    uint64_t next_tick = board_clock_ms();
    bool confirmed = false;
    /* No sleeping: the UART is polled, and the bridge's bytes keep coming while it is. */
    while (running) {
        int status = bridge_link_poll(&link, agent);
        if (reset_requested) board_reset();
        uint64_t now = board_clock_ms();
        if (status == OTAU_AGENT_OK && now >= next_tick) {
            int32_t result = 0;
            next_tick = now + TICK_MS;
            status = otau_agent_on_tick(agent, (uint32_t)now, &result);
        }
        if (reset_requested) board_reset();
        if (status == OTAU_AGENT_OK) check_health(agent, &confirmed);
        /* A trap is logged by the core; the agent starts again from its initial state. */
        else if (status == OTAU_AGENT_TRAPPED) running = agent_boot(agent);
        else running = false;
    }
    log_text("board: the agent cannot run; halted");
    for (;;) board_wait_for_interrupt();
}
