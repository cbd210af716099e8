/*
 * The bring-up's update in one QEMU run: the boots are passes of a loop over the same flash
 * (a "reset" is the agent's flag, the bootloader's decision is boot_step() between passes),
 * the config and the image are semihosting files. It measures what an update costs; the real
 * update, with a bootloader image that jumps and applications that run from their slots, is
 * boot_main.c and app_main.c.
 */
#include <string.h>

#include "agent_session.h"
#include "bench_hal.h"
#include "bench_measure.h"
#include "bench_modes.h"
#include "board.h"
#include "board_hal.h"
#include "boot_status.h"
#include "boot_step.h"
#include "flash_layout.h"
#include "ram_flash.h"
#include "semihost.h"

#define FACTORY_VERSION "1.0.0"
#define MAX_BOOTS 4
/* A bound for the bring-up run: a document that makes the agent trap every time must end it. */
#define MAX_TRAP_RESTARTS 3
#define MAX_EVENTS 200000u
#define CHUNK 4096u

/* Bytes of the factory image in slot A: the first boot record measures only those. */
static uint32_t factory_image_size;
static uint8_t chunk[CHUNK];

/* Feeds the agent until it asks for a reset or rests idle. Ticks spent delivering transfer
 * events (download, write, hash, verify) are added to `*transfer_ticks`. */
static enum call_outcome pump(otau_agent *agent, uint64_t *transfer_ticks)
{
    for (uint32_t events = 0; events < MAX_EVENTS && !bench_reset_requested; events++) {
        int status;
        int32_t result = 0;
        if (semihost_transport_busy(&bench_transport)) {
            uint64_t start = board_ticks();
            status = semihost_transport_step(&bench_transport, agent);
            *transfer_ticks += board_ticks() - start;
        } else if (agent_state(agent) == OTAU_STATE_IDLE) {
            return CALL_DONE;
        } else {
            uint32_t now = (uint32_t)board_clock_ms(NULL);
            status = otau_agent_on_tick(agent, now, &result);
        }
        if (status == OTAU_AGENT_TRAPPED) return CALL_TRAPPED;
        if (status != OTAU_AGENT_OK) {
            console_printf("board: the agent failed: %s\n", otau_agent_error(agent));
            return CALL_FAILED;
        }
    }
    if (bench_reset_requested) return CALL_DONE;
    console_printf("board: the agent did not settle within %u events\n", MAX_EVENTS);
    return CALL_FAILED;
}

static enum call_outcome deliver_config(otau_agent *agent, const char *path)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    int32_t len = semihost_read_file(path, io, size);
    if (len < 0) {
        console_printf("board: cannot read %s (missing, or longer than the %lu-byte I/O buffer)\n",
                       path, (unsigned long)size);
        return CALL_FAILED;
    }
    int32_t result = 0;
    return call_outcome(agent, otau_agent_on_config(agent, OTAU_CONFIG_MURANO_CONFIG_OTAU, (uint32_t)len, &result),
                        result, "on_config");
}

/* One power-on of the application: starts the agent, boots it, hands it the config document
 * (the cloud answers every start with it), confirms a trial and feeds it until it rests or asks
 * for a reset. A trap anywhere starts it all again. */
static bool run_boot(otau_agent *agent, const char *config_path, uint64_t *transfer_ticks)
{
    for (unsigned restarts = 0;; restarts++) {
        if (!agent_start(agent)) return false;
        enum call_outcome outcome = agent_boot(agent, FACTORY_VERSION, factory_image_size, false);
        if (outcome == CALL_DONE) outcome = deliver_config(agent, config_path);
        if (outcome == CALL_DONE) outcome = confirm_trial(agent);
        if (outcome == CALL_DONE) outcome = pump(agent, transfer_ticks);
        if (outcome != CALL_TRAPPED) return outcome == CALL_DONE;
        semihost_fetch_cancel(&bench_transport);
        bench_reset_requested = false;
        if (restarts == MAX_TRAP_RESTARTS) {
            console_printf("board: the agent trapped %u times in one boot; giving up\n", restarts + 1);
            return false;
        }
        console_printf("board: restarting the agent after a trap\n");
    }
}

/* The factory programming: the image of FACTORY_VERSION into slot A of an erased part. */
static bool program_factory_image(const char *path)
{
    int32_t file = semihost_open(path);
    int32_t size = file >= 0 ? semihost_file_length(file) : -1;
    bool ok = size > 0 && (uint32_t)size <= NOR_SLOT_SIZE;
    for (uint32_t at = 0; ok && at < (uint32_t)size; at += CHUNK) {
        uint32_t n = (uint32_t)size - at < CHUNK ? (uint32_t)size - at : CHUNK;
        uint32_t padded = (n + NOR_WRITE_ALIGN - 1) / NOR_WRITE_ALIGN * NOR_WRITE_ALIGN;
        memset(chunk, NOR_ERASED_VALUE, padded);
        ok = semihost_read(file, chunk, n) == (int32_t)n &&
             ram_flash_write(OTAU_AREA_SLOT_A, at, chunk, padded) == OTAU_FLASH_OK;
    }
    if (file >= 0) semihost_close(file);
    if (!ok) {
        console_printf("board: cannot program %s into slot A (missing, empty or larger than %lu bytes)\n",
                       path, (unsigned long)NOR_SLOT_SIZE);
        return false;
    }
    factory_image_size = (uint32_t)size;
    console_printf("board: factory image %s in slot A\n", path);
    console_printf("measure factory_image_bytes %lu\n", (unsigned long)factory_image_size);
    return true;
}

/* Slot B must hold exactly the image file's bytes, and as many as the record says. */
static bool slot_holds(const char *image_path, uint32_t recorded_size)
{
    int32_t file = semihost_open(image_path);
    if (file < 0) return false;
    const uint8_t *slot = ram_flash_bytes(OTAU_AREA_SLOT_B);
    uint32_t at = 0;
    int32_t got;
    bool same = true;
    while (same && (got = semihost_read(file, chunk, sizeof chunk)) > 0) {
        same = at + (uint32_t)got <= NOR_SLOT_SIZE && memcmp(slot + at, chunk, (uint32_t)got) == 0;
        at += (uint32_t)got;
    }
    semihost_close(file);
    return same && got == 0 && at == recorded_size;
}

int mode_update(const char *config_path, const char *image_path, const char *factory_path)
{
    semihost_transport_init(&bench_transport);
    ram_flash_power_on();
    if (!program_factory_image(factory_path)) return BOARD_EXIT_USAGE;
    uint64_t transfer_ticks = 0;
    uint64_t start = board_ticks();
    bool settled = false;
    for (int boot = 1; boot <= MAX_BOOTS && !settled; boot++) {
        struct boot_decision decision;
        console_printf("board: boot %d\n", boot);
        if (boot_step(&bench_hal, &decision, true, NULL) != BOOT_OK || decision.slot == BOOT_NO_SLOT)
            return BOARD_EXIT_FAILED;
        bench_reset_requested = false;
        otau_agent *agent = agent_new(&bench_hal);
        if (!agent) return BOARD_EXIT_FAILED;
        bool ok = run_boot(agent, config_path, &transfer_ticks);
        settled = ok && !bench_reset_requested;
        semihost_fetch_cancel(&bench_transport);
        otau_agent_free(agent);
        if (!ok) return BOARD_EXIT_FAILED;
    }
    uint64_t update_ticks = board_ticks() - start;
    if (!settled) {
        console_printf("board: still resetting after %d boots\n", MAX_BOOTS);
        return BOARD_EXIT_FAILED;
    }

    /* What the next reset would start: the new image from slot B, confirmed. */
    struct boot_decision decision;
    if (boot_step(&bench_hal, &decision, false, NULL) != BOOT_OK) return BOARD_EXIT_FAILED;
    uint32_t size = boot_record_slot_size(&decision.record, BOOT_AREA_SLOT_B);
    bool installed = decision.slot == BOOT_AREA_SLOT_B && decision.rule == BOOT_RULE_ACTIVE &&
                     slot_holds(image_path, size);
    console_printf("board: %s\n", installed ? "slot B holds the image and boots as the confirmed slot"
                                    : "the update did not end with slot B holding the image");
    console_printf("measure image_bytes %lu\n", (unsigned long)size);
    console_printf("measure transfer_instructions %lu\n", board_instructions(transfer_ticks));
    console_printf("measure update_instructions %lu\n", board_instructions(update_ticks));
    if (installed) bench_native_hash_and_copy(ram_flash_bytes(OTAU_AREA_SLOT_B), size);
    bench_print_ram("update");
    return installed ? BOARD_EXIT_OK : BOARD_EXIT_FAILED;
}
