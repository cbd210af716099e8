/*
 * The translated agent's side of the imports: wasm2c calls Z_envZ_<name> for each import of
 * module "env". Each runs the shared logic of agent_imports.c and turns its trap outcomes into
 * wasm_rt traps. An import the module declares but this file lacks fails the link: the build,
 * not the device, finds it.
 */
#include "agent_aot.h"

static struct agent_guest guest_of(const struct Z_env_instance_t *env)
{
    return (struct agent_guest){env->hal, env->memory->data, env->memory->size, env->fatal};
}

/* Raises the trap an import call ended with, if any. */
static void trap_on(enum agent_import_outcome outcome)
{
    if (outcome == AGENT_IMPORT_OUT_OF_BOUNDS) wasm_rt_trap(WASM_RT_TRAP_OOB);
    /* `fatal`: the runtime words the trap from env->fatal, as wasm3's abort trap. */
    if (outcome == AGENT_IMPORT_ABORTED) wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

void Z_envZ_log(struct Z_env_instance_t *env, uint32_t level, uint32_t text, uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    trap_on(agent_import_log(&guest, level, text, len));
}

void Z_envZ_fatal(struct Z_env_instance_t *env, uint32_t text, uint32_t len, uint32_t line,
                  uint32_t column)
{
    struct agent_guest guest = guest_of(env);
    trap_on(agent_import_fatal(&guest, text, len, line, column));
}

uint32_t Z_envZ_flash_info(struct Z_env_instance_t *env, uint32_t area, uint32_t out)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_flash_info(&guest, area, out, &result));
    return (uint32_t)result;
}

uint32_t Z_envZ_flash_read(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                           uint32_t dst, uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_flash_read(&guest, area, offset, dst, len, &result));
    return (uint32_t)result;
}

uint32_t Z_envZ_flash_write(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                            uint32_t src, uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_flash_write(&guest, area, offset, src, len, &result));
    return (uint32_t)result;
}

uint32_t Z_envZ_flash_erase(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                            uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_flash_erase(&guest, area, offset, len, &result));
    return (uint32_t)result;
}

void Z_envZ_report(struct Z_env_instance_t *env, uint32_t channel, uint32_t document,
                   uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    trap_on(agent_import_report(&guest, channel, document, len));
}

uint32_t Z_envZ_fetch(struct Z_env_instance_t *env, uint32_t url, uint32_t len, uint32_t offset)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_fetch(&guest, url, len, offset, &result));
    return (uint32_t)result;
}

void Z_envZ_fetch_cancel(struct Z_env_instance_t *env)
{
    struct agent_guest guest = guest_of(env);
    trap_on(agent_import_fetch_cancel(&guest));
}

uint32_t Z_envZ_apply_json(struct Z_env_instance_t *env, uint32_t json, uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_apply_json(&guest, json, len, &result));
    return (uint32_t)result;
}

void Z_envZ_reset(struct Z_env_instance_t *env)
{
    struct agent_guest guest = guest_of(env);
    trap_on(agent_import_reset(&guest));
}

uint32_t Z_envZ_sha256_native(struct Z_env_instance_t *env, uint32_t op, uint32_t context,
                              uint32_t data, uint32_t len)
{
    struct agent_guest guest = guest_of(env);
    int32_t result = 0;
    trap_on(agent_import_sha256_native(&guest, op, context, data, len, &result));
    return (uint32_t)result;
}
