#include "boot_image_check.h"

#include <stdbool.h>
#include <string.h>

#include "boot_sha256.h"
#include "boot_verifier_translated.h"
#include "otau_abi.h"
#include "otau_hal.h"
#include "wasm_rt_mcu.h"

/* The verifier's linear memory: its static data (6,688 bytes: the I/O buffer whose upper part is
 * the Ed25519 work area, the flash read chunk, the trust store, constants), checked against what
 * the module says it needs before every use. */
#ifndef BOOT_VERIFIER_MEMORY
#define BOOT_VERIFIER_MEMORY 6784u
#endif
#define ED25519_INPUT_MAX 1024u /* the I/O buffer's input part: signature, key, message */
#define SHA256_CONTEXT_BYTES 112u /* the agent's SHA256_CONTEXT_SIZE (assembly/crypto/sha256.ts) */

_Static_assert(sizeof(struct boot_sha256) <= SHA256_CONTEXT_BYTES, "the C SHA-256 state must fit the module's context");

/* The glue's view of one run: the HAL the flash imports reach and the module's memory. */
struct Z_boot_instance_t {
    const struct otau_hal *hal;
    wasm_rt_memory_t *memory;
};

static uint8_t verifier_memory[BOOT_VERIFIER_MEMORY] __attribute__((aligned(8)));
static Z_boot_verifier_instance_t verifier;
static struct Z_boot_instance_t env;

/* Module memory [at, at + len), or a trap (offset 0 counts as null, as for the agent's imports). */
static uint8_t *module_bytes(const struct Z_boot_instance_t *e, uint32_t at, uint32_t len)
{
    if (at == 0 || (uint64_t)at + len > e->memory->size) wasm_rt_trap(WASM_RT_TRAP_OOB);
    return e->memory->data + at;
}

/* The verifier reads areas 1 to 3 (the slots and the trust store); it has no write import. */
uint32_t Z_bootZ_flash_info(struct Z_boot_instance_t *e, uint32_t area, uint32_t out)
{
    uint8_t *at = module_bytes(e, out, 16);
    struct otau_flash_area_info info;
    int32_t status = e->hal->flash_info(e->hal->context, area, &info);
    if (status != 0) return (uint32_t)status;
    uint32_t fields[4] = {info.size, info.sector_size, info.write_align, info.erased_value};
    for (int i = 0; i < 16; i++) at[i] = (uint8_t)(fields[i / 4] >> (8 * (i % 4)));
    return 0;
}

uint32_t Z_bootZ_flash_read(struct Z_boot_instance_t *e, uint32_t area, uint32_t offset, uint32_t dst,
                            uint32_t len)
{
    uint8_t *at = module_bytes(e, dst, len);
    return (uint32_t)e->hal->flash_read(e->hal->context, area, offset, at, len);
}

/* The image hash in C (host/boot/boot_sha256.c): the bulk of a boot-time check's bytes. The
 * state lives in the module's context bytes, copied (they need not be aligned for it). */
uint32_t Z_bootZ_sha256_native(struct Z_boot_instance_t *e, uint32_t op, uint32_t context, uint32_t data,
                               uint32_t len)
{
    if (op == OTAU_SHA256_PROBE) return OTAU_SHA256_OK;
    uint8_t *bytes = module_bytes(e, context, SHA256_CONTEXT_BYTES);
    struct boot_sha256 state;
    if (op == OTAU_SHA256_INIT) {
        boot_sha256_init(&state);
    } else {
        memcpy(&state, bytes, sizeof state);
        if (state.filled >= sizeof state.block) return (uint32_t)OTAU_SHA256_BAD_OPERATION;
        if (op == OTAU_SHA256_UPDATE) boot_sha256_update(&state, len ? module_bytes(e, data, len) : NULL, len);
        else if (op == OTAU_SHA256_FINAL) boot_sha256_final(&state, module_bytes(e, data, BOOT_SHA256_DIGEST_SIZE));
        else return (uint32_t)OTAU_SHA256_BAD_OPERATION;
    }
    memcpy(bytes, &state, sizeof state);
    return OTAU_SHA256_OK;
}

/* The verifier is the native one: it verifies itself. */
uint32_t Z_bootZ_ed25519_native(struct Z_boot_instance_t *e, uint32_t signature, uint32_t public_key, uint32_t message,
                                uint32_t len)
{
    (void)e, (void)signature, (void)public_key, (void)message, (void)len;
    return (uint32_t)OTAU_ED25519_NOT_PROVIDED;
}

/* A fresh instance per check: nothing of an earlier run can steer this one. */
static bool instantiate(const struct otau_hal *hal)
{
    static bool module_ready;
    if (!module_ready) {
        if (!wasm_rt_is_initialized()) wasm_rt_init(); /* the translated agent may have done so */
        Z_boot_verifier_init_module();
        module_ready = true;
    }
    env.hal = hal;
    wasm_rt_mcu_provide_memory(verifier_memory, sizeof verifier_memory);
    Z_boot_verifier_instantiate(&verifier, &env);
    env.memory = Z_boot_verifierZ_memory(&verifier);
    return Z_boot_verifierZ_boot_memory_needed(&verifier) <= sizeof verifier_memory;
}

struct check_run {
    const struct otau_hal *hal;
    uint32_t slot, size;
    int refusal, checked;
};

static void check_body(void *argument)
{
    struct check_run *run = argument;
    if (!instantiate(run->hal)) {
        run->refusal = BOOT_IMAGE_VERIFIER_MEMORY;
        return;
    }
    run->refusal = (int)Z_boot_verifierZ_boot_verify(&verifier, run->slot, run->size);
    run->checked = (int)Z_boot_verifierZ_boot_checked(&verifier);
}

int boot_image_check(void *context, int slot, uint32_t size, int *checked)
{
    struct check_run run = {context, (uint32_t)slot, size, BOOT_IMAGE_VERIFIER_TRAPPED, 0};
    if (wasm_rt_mcu_run(check_body, &run) != WASM_RT_TRAP_NONE) run.refusal = BOOT_IMAGE_VERIFIER_TRAPPED;
    Z_boot_verifier_free(&verifier);
    *checked = run.checked;
    return run.refusal;
}

struct ed25519_run {
    const uint8_t *signature, *public_key, *message;
    uint32_t len;
    int result;
};

static void ed25519_body(void *argument)
{
    struct ed25519_run *run = argument;
    if (!instantiate(NULL)) return;
    uint32_t at = Z_boot_verifierZ_io_buffer(&verifier);
    if (64u + 32u + run->len > ED25519_INPUT_MAX || (uint64_t)at + ED25519_INPUT_MAX > env.memory->size) return;
    uint8_t *io = env.memory->data + at;
    memcpy(io, run->signature, 64);
    memcpy(io + 64, run->public_key, 32);
    if (run->len > 0) memcpy(io + 96, run->message, run->len);
    run->result = (int)Z_boot_verifierZ_ed25519_verify(&verifier, run->len);
}

int boot_ed25519_verify(const uint8_t signature[64], const uint8_t public_key[32], const uint8_t *message,
                        uint32_t len)
{
    struct ed25519_run run = {signature, public_key, message, len, -1};
    if (wasm_rt_mcu_run(ed25519_body, &run) != WASM_RT_TRAP_NONE) run.result = -1;
    Z_boot_verifier_free(&verifier);
    return run.result;
}
