/*
 * The MPS2 AN386 firmware: the bootloader's decision over the emulated NOR part, then the
 * agent under wasm3 fed from semihosting. One firmware, several bring-up modes, chosen by the
 * first QEMU semihosting argument:
 *
 *   selftest                      the flash driver's NOR rules
 *   smoke                         agent start-up and its SHA-256 of known vectors
 *   update <config> <image> <factory image>
 *                                 power on with <factory image> (FACTORY_VERSION) in slot A,
 *                                 deliver the config document at every start of the agent (as
 *                                 Murano's config_otau is read at every start), download,
 *                                 install, reset into the trial, confirm; exit 0 when the
 *                                 bootloader then starts the new image from slot B and the slot
 *                                 holds exactly <image>
 *
 * A trap in the agent is logged and the agent started again (MAX_TRAP_RESTARTS per boot).
 * Lines starting with "measure " carry the figures bringup.sh reports.
 */
#include <string.h>

#include "board.h"
#include "cortexm_runtime.h"
#include "boot_decision.h"
#include "boot_flash_hal.h"
#include "boot_sha256.h"
#include "boot_status.h"
#include "flash_layout.h"
#include "otau_agent.h"
#include "ram_flash.h"
#include "ram_flash_selftest.h"
#include "semihost.h"
#include "semihost_transport.h"

extern const uint8_t agent_wasm_start[], agent_wasm_end[]; /* agent_wasm.S */

#define FACTORY_VERSION "1.0.0"
/* Bytes of agent linear memory (the Makefile may set it): its static data and the table _start
 * allocates, 26,800 B today (static data to 25,484 B), and it allocates nothing later: this
 * leaves 336 B. A start with too little traps in _start, which the bring-up shows. */
#ifndef AGENT_MEMORY_LIMIT
#define AGENT_MEMORY_LIMIT 27136u
#endif
#define AGENT_STACK_SIZE (4u * 1024u)
#define MAX_BOOTS 4
/* A bound for the bring-up run: a document that makes the agent trap every time must end it. */
#define MAX_TRAP_RESTARTS 3
#define MAX_EVENTS 200000u
#define CHUNK 4096u

/* agent_state() (docs/abi.md). */
enum agent_state { AGENT_IDLE = 0, AGENT_TRIAL = 5 };
/* on_config's source for a Murano config_otau document (docs/abi.md). */
#define MURANO_CONFIG_OTAU 0u
/* configure()'s FactoryImageSize setting (docs/abi.md). */
#define SETTING_FACTORY_IMAGE_SIZE 8u

static struct semihost_transport transport;
static bool reset_requested;
/* Bytes of the factory image in slot A: the first boot record measures only those. */
static uint32_t factory_image_size;
/* One chunk buffer for the checks after an update (comparing the slot, the native reference). */
static uint8_t chunk[CHUNK];

/* ---- The HAL over the RAM flash, the console, SysTick and semihosting. */
static int32_t hal_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    (void)context;
    return ram_flash_info(area, info);
}

static int32_t hal_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst,
                              uint32_t len)
{
    (void)context;
    return ram_flash_read(area, offset, dst, len);
}

static int32_t hal_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                               uint32_t len)
{
    (void)context;
    return ram_flash_write(area, offset, src, len);
}

static int32_t hal_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    (void)context;
    return ram_flash_erase(area, offset, len);
}

static void hal_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    (void)context;
    console_printf("agent %s: %.*s\n", names[level], (int)len, text);
}

static uint64_t hal_clock_ms(void *context)
{
    (void)context;
    return board_ticks() / BOARD_TICKS_PER_MS;
}

/* The agent asks for a reset from inside a call: main() performs it once the call returns. */
static void hal_reset(void *context)
{
    (void)context;
    reset_requested = true;
}

static const struct otau_hal hal = {
    .context = &transport,
    .flash_info = hal_flash_info,
    .flash_read = hal_flash_read,
    .flash_write = hal_flash_write,
    .flash_erase = hal_flash_erase,
    .log = hal_log,
    .clock_ms = hal_clock_ms,
    .reset = hal_reset,
    .fetch_start = semihost_fetch_start,
    .fetch_cancel = semihost_fetch_cancel,
    .publish = semihost_publish,
};

/* The decision of the bootloader that runs at every reset; `apply` stores its record update. */
static int bootloader(struct boot_decision *decision, bool apply)
{
    struct boot_flash flash;
    int status = boot_flash_from_hal(&flash, &hal);
    if (status == BOOT_OK) status = boot_decide(&flash, decision);
    if (status == BOOT_OK && apply) status = boot_decision_apply(&flash, decision);
    if (status != BOOT_OK) {
        console_printf("bootloader: %s\n", boot_status_name(status));
        return status;
    }
    console_printf("bootloader: slot %s (%s)\n", boot_slot_name(decision->slot), boot_rule_name(decision->rule));
    return BOOT_OK;
}

/* ---- Agent helpers. */
static void print_ram(const char *when)
{
    console_printf("measure heap_size %lu\n", (unsigned long)cortexm_heap_size());
    console_printf("measure stack_size %lu\n", (unsigned long)cortexm_stack_size());
    console_printf("measure agent_memory_limit %lu\n", (unsigned long)AGENT_MEMORY_LIMIT);
    console_printf("measure agent_stack_size %lu\n", (unsigned long)AGENT_STACK_SIZE);
    console_printf("measure %s_heap_high_water %lu\n", when, (unsigned long)cortexm_heap_high_water());
    console_printf("measure %s_stack_high_water %lu\n", when, (unsigned long)cortexm_stack_high_water());
}

static unsigned long instructions(uint64_t ticks)
{
    return (unsigned long)(ticks * BOARD_INSTRUCTIONS_PER_TICK);
}

/* What one agent call came to. A trap ends the instance: the agent must be started again. */
enum call_outcome { CALL_DONE, CALL_TRAPPED, CALL_FAILED };

static enum call_outcome call_outcome(otau_agent *agent, int status, int32_t result, const char *what)
{
    if (status == OTAU_AGENT_OK && result >= 0) return CALL_DONE;
    if (status == OTAU_AGENT_TRAPPED) return CALL_TRAPPED; /* the core has logged the trap */
    if (status != OTAU_AGENT_OK)
        console_printf("board: %s failed: %s\n", what, otau_agent_error(agent));
    else
        console_printf("board: %s returned %ld\n", what, (long)result);
    return CALL_FAILED;
}

static bool call_ok(otau_agent *agent, int status, int32_t result, const char *what)
{
    return call_outcome(agent, status, result, what) == CALL_DONE;
}

static int32_t agent_state(otau_agent *agent)
{
    int32_t state = -1;
    otau_agent_state(agent, &state);
    return state;
}

static otau_agent *agent_new(void)
{
    static const struct otau_agent_config config = {AGENT_MEMORY_LIMIT, AGENT_STACK_SIZE};
    otau_agent *agent = otau_agent_new(&hal, agent_wasm_start,
                                       (uint32_t)(agent_wasm_end - agent_wasm_start), &config);
    if (!agent) console_printf("board: out of memory for the agent\n");
    return agent;
}

/* (Re)instantiates the agent, measuring what that costs. */
static bool agent_start(otau_agent *agent)
{
    uint32_t heap_before = cortexm_heap_high_water();
    uint64_t start = board_ticks();
    if (otau_agent_start(agent) != OTAU_AGENT_OK) {
        console_printf("board: cannot start the agent: %s\n", otau_agent_error(agent));
        return false;
    }
    console_printf("measure agent_start_instructions %lu\n", instructions(board_ticks() - start));
    /* wasm3's runtime: linear memory, value stack, parsed module, compiled code pages. */
    console_printf("measure agent_runtime_heap %lu\n", (unsigned long)(cortexm_heap_high_water() - heap_before));
    return true;
}

/* The events the application delivers at every start of the agent: its version, the device
 * setting, boot(). */
static enum call_outcome agent_boot(otau_agent *agent)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = sizeof FACTORY_VERSION - 1;
    memcpy(io, FACTORY_VERSION, len);
    int32_t result = 0;
    enum call_outcome outcome =
        call_outcome(agent, otau_agent_firmware_version(agent, len, &result), result, "firmware_version");
    if (outcome == CALL_DONE)
        outcome = call_outcome(agent, otau_agent_configure(agent, SETTING_FACTORY_IMAGE_SIZE,
                                                           factory_image_size, &result),
                               result, "configure");
    if (outcome == CALL_DONE) outcome = call_outcome(agent, otau_agent_boot(agent, &result), result, "boot");
    return outcome;
}

/* A trial image is vouched for once its cloud has answered (otau-host's health policy); this
 * firmware has no other health check. */
static enum call_outcome confirm_trial(otau_agent *agent)
{
    int32_t result = 0;
    if (agent_state(agent) != AGENT_TRIAL) return CALL_DONE;
    return call_outcome(agent, otau_agent_on_healthy(agent, &result), result, "on_healthy");
}

/* ---- Modes. */
static int mode_selftest(void)
{
    unsigned failed = ram_flash_selftest();
    console_printf("flash self-test: %u check(s) failed\n", failed);
    return failed ? BOARD_EXIT_FAILED : BOARD_EXIT_OK;
}

static int hash_known_vector(otau_agent *agent, const char *text, const char *expected_hex)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = (uint32_t)strlen(text);
    int32_t result = 0;
    memcpy(io, text, len);
    if (!call_ok(agent, otau_agent_sha256_init(agent, &result), result, "sha256_init") ||
        !call_ok(agent, otau_agent_sha256_update(agent, len, &result), result, "sha256_update") ||
        !call_ok(agent, otau_agent_sha256_final(agent, &result), result, "sha256_final"))
        return BOARD_EXIT_FAILED;
    io = otau_agent_io_buffer(agent, &size);
    static const char digits[] = "0123456789abcdef";
    char hex[2 * BOOT_SHA256_DIGEST_SIZE + 1];
    for (int i = 0; i < BOOT_SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[io[i] >> 4];
        hex[2 * i + 1] = digits[io[i] & 0xF];
    }
    hex[2 * BOOT_SHA256_DIGEST_SIZE] = '\0';
    bool match = strcmp(hex, expected_hex) == 0;
    console_printf("smoke: sha256(\"%s\") = %s: %s\n", text, hex, match ? "ok" : "WRONG");
    return match ? BOARD_EXIT_OK : BOARD_EXIT_FAILED;
}

/* Instructions per byte of SHA-256 over `total` pattern bytes: the agent's (wasm3) and the
 * bootloader's C, the same bytes in the same chunks. */
static int measure_hashing(otau_agent *agent, uint32_t total)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    for (uint32_t i = 0; i < CHUNK; i++) io[i] = (uint8_t)(i * 7 + 3);
    int32_t result = 0;
    uint64_t start = board_ticks();
    otau_agent_sha256_init(agent, &result);
    for (uint32_t done = 0; done < total; done += CHUNK) otau_agent_sha256_update(agent, CHUNK, &result);
    otau_agent_sha256_final(agent, &result);
    console_printf("measure agent_sha256_instructions_per_byte %lu\n", instructions(board_ticks() - start) / total);

    io = otau_agent_io_buffer(agent, &size);
    for (uint32_t i = 0; i < CHUNK; i++) io[i] = (uint8_t)(i * 7 + 3);
    static struct boot_sha256 context;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    start = board_ticks();
    boot_sha256_init(&context);
    for (uint32_t done = 0; done < total; done += CHUNK) boot_sha256_update(&context, io, CHUNK);
    boot_sha256_final(&context, digest);
    console_printf("measure native_sha256_instructions_per_byte %lu\n", instructions(board_ticks() - start) / total);
    return BOARD_EXIT_OK;
}

static int mode_smoke(void)
{
    otau_agent *agent = agent_new();
    if (!agent) return BOARD_EXIT_FAILED;
    if (!agent_start(agent)) {
        otau_agent_free(agent);
        return BOARD_EXIT_FAILED;
    }
    int status = hash_known_vector(agent, "abc",
                                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    if (status == BOARD_EXIT_OK)
        status = hash_known_vector(agent, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    if (status == BOARD_EXIT_OK) status = measure_hashing(agent, 16u * CHUNK);
    print_ram("smoke");
    otau_agent_free(agent);
    return status;
}

/* Feeds the agent until it asks for a reset or rests idle. Ticks spent delivering transfer
 * events (download, write, hash, verify) are added to `*transfer_ticks`. */
static enum call_outcome pump(otau_agent *agent, uint64_t *transfer_ticks)
{
    for (uint32_t events = 0; events < MAX_EVENTS && !reset_requested; events++) {
        int status;
        int32_t result = 0;
        if (semihost_transport_busy(&transport)) {
            uint64_t start = board_ticks();
            status = semihost_transport_step(&transport, agent);
            *transfer_ticks += board_ticks() - start;
        } else if (agent_state(agent) == AGENT_IDLE) {
            return CALL_DONE;
        } else {
            uint32_t now = (uint32_t)hal_clock_ms(NULL);
            status = otau_agent_on_tick(agent, now, &result);
        }
        if (status == OTAU_AGENT_TRAPPED) return CALL_TRAPPED;
        if (status != OTAU_AGENT_OK) {
            console_printf("board: the agent failed: %s\n", otau_agent_error(agent));
            return CALL_FAILED;
        }
    }
    if (reset_requested) return CALL_DONE;
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
    return call_outcome(agent, otau_agent_on_config(agent, MURANO_CONFIG_OTAU, (uint32_t)len, &result),
                        result, "on_config");
}

/* One power-on of the application: starts the agent, boots it, hands it the config document
 * (the cloud answers every start with it), confirms a trial and feeds it until it rests or asks
 * for a reset. A trap anywhere starts it all again, as the nRF board's main loop does. */
static bool run_boot(otau_agent *agent, const char *config_path, uint64_t *transfer_ticks)
{
    for (unsigned restarts = 0;; restarts++) {
        if (!agent_start(agent)) return false;
        enum call_outcome outcome = agent_boot(agent);
        if (outcome == CALL_DONE) outcome = deliver_config(agent, config_path);
        if (outcome == CALL_DONE) outcome = confirm_trial(agent);
        if (outcome == CALL_DONE) outcome = pump(agent, transfer_ticks);
        if (outcome != CALL_TRAPPED) return outcome == CALL_DONE;
        semihost_fetch_cancel(&transport);
        reset_requested = false;
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

/* The native reference: copy the image out of the slot in I/O-buffer chunks and hash it with
 * the bootloader's C SHA-256. */
static void measure_native_hash_and_copy(uint32_t size)
{
    static struct boot_sha256 context;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    const uint8_t *slot = ram_flash_bytes(OTAU_AREA_SLOT_B);
    uint64_t start = board_ticks();
    boot_sha256_init(&context);
    for (uint32_t at = 0; at < size; at += CHUNK) {
        uint32_t n = size - at < CHUNK ? size - at : CHUNK;
        memcpy(chunk, slot + at, n);
        boot_sha256_update(&context, chunk, n);
    }
    boot_sha256_final(&context, digest);
    console_printf("measure native_hash_copy_instructions %lu\n", instructions(board_ticks() - start));
}

static int mode_update(const char *config_path, const char *image_path, const char *factory_path)
{
    ram_flash_power_on();
    if (!program_factory_image(factory_path)) return BOARD_EXIT_USAGE;
    uint64_t transfer_ticks = 0;
    uint64_t start = board_ticks();
    bool settled = false;
    for (int boot = 1; boot <= MAX_BOOTS && !settled; boot++) {
        struct boot_decision decision;
        console_printf("board: boot %d\n", boot);
        if (bootloader(&decision, true) != BOOT_OK || decision.slot == BOOT_NO_SLOT)
            return BOARD_EXIT_FAILED;
        reset_requested = false;
        otau_agent *agent = agent_new();
        if (!agent) return BOARD_EXIT_FAILED;
        bool ok = run_boot(agent, config_path, &transfer_ticks);
        settled = ok && !reset_requested;
        semihost_fetch_cancel(&transport);
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
    if (bootloader(&decision, false) != BOOT_OK) return BOARD_EXIT_FAILED;
    uint32_t size = boot_record_slot_size(&decision.record, BOOT_AREA_SLOT_B);
    bool installed = decision.slot == BOOT_AREA_SLOT_B && decision.rule == BOOT_RULE_ACTIVE &&
                     slot_holds(image_path, size);
    console_printf("board: %s\n", installed ? "slot B holds the image and boots as the confirmed slot"
                                    : "the update did not end with slot B holding the image");
    console_printf("measure image_bytes %lu\n", (unsigned long)size);
    console_printf("measure transfer_instructions %lu\n", instructions(transfer_ticks));
    console_printf("measure update_instructions %lu\n", instructions(update_ticks));
    if (installed) measure_native_hash_and_copy(size);
    print_ram("update");
    return installed ? BOARD_EXIT_OK : BOARD_EXIT_FAILED;
}

/* QEMU passes the kernel's name first when it has one; modes are looked up after it. */
static bool is_kernel_name(const char *word)
{
    size_t len = strlen(word);
    return len >= 4 && strcmp(word + len - 4, ".elf") == 0;
}

int main(void)
{
    static char arguments[256];
    char *argv[6];
    semihost_transport_init(&transport);
    int argc = semihost_arguments(arguments, sizeof arguments, argv, 6);
    int first = argc > 0 && is_kernel_name(argv[0]) ? 1 : 0;
    const char *mode = argc > first ? argv[first] : "";
    int status = BOARD_EXIT_USAGE;
    if (strcmp(mode, "selftest") == 0 && argc == first + 1)
        status = mode_selftest();
    else if (strcmp(mode, "smoke") == 0 && argc == first + 1)
        status = mode_smoke();
    else if (strcmp(mode, "update") == 0 && argc == first + 4)
        status = mode_update(argv[first + 1], argv[first + 2], argv[first + 3]);
    else
        console_printf("usage: selftest | smoke | update <config file> <image file> <factory image file>\n");
    console_printf("board: exit %d\n", status);
    return status;
}
