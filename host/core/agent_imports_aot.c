/*
 * The translated agent's side of the imports: wasm2c calls Z_envZ_<name> for each import of
 * module "env", with its arguments as C arguments. Each passes them to its row of
 * agent_import_specs and turns the trap outcomes into wasm_rt traps. An import the module
 * declares but this file lacks fails the link: the build, not the device, finds it.
 */
#include "agent_aot.h"

static uint32_t serve(struct Z_env_instance_t *env, enum agent_import which,
                      const uint32_t *args)
{
    struct agent_guest guest = {env->hal, env->memory->data, env->memory->size, env->fatal};
    int32_t result = 0;
    enum agent_import_outcome outcome = agent_import_specs[which].serve(&guest, args, &result);
    if (outcome == AGENT_IMPORT_OUT_OF_BOUNDS) wasm_rt_trap(WASM_RT_TRAP_OOB);
    /* `fatal`: the core words the trap from env->fatal, as wasm3's abort trap. */
    if (outcome == AGENT_IMPORT_ABORTED) wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
    return (uint32_t)result;
}

void Z_envZ_log(struct Z_env_instance_t *env, uint32_t level, uint32_t text, uint32_t len)
{
    serve(env, AGENT_IMPORT_LOG, (const uint32_t[]){level, text, len});
}

void Z_envZ_fatal(struct Z_env_instance_t *env, uint32_t text, uint32_t len, uint32_t line,
                  uint32_t column)
{
    serve(env, AGENT_IMPORT_FATAL, (const uint32_t[]){text, len, line, column});
}

uint32_t Z_envZ_flash_info(struct Z_env_instance_t *env, uint32_t area, uint32_t out)
{
    return serve(env, AGENT_IMPORT_FLASH_INFO, (const uint32_t[]){area, out});
}

uint32_t Z_envZ_flash_read(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                           uint32_t dst, uint32_t len)
{
    return serve(env, AGENT_IMPORT_FLASH_READ, (const uint32_t[]){area, offset, dst, len});
}

uint32_t Z_envZ_flash_write(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                            uint32_t src, uint32_t len)
{
    return serve(env, AGENT_IMPORT_FLASH_WRITE, (const uint32_t[]){area, offset, src, len});
}

uint32_t Z_envZ_flash_erase(struct Z_env_instance_t *env, uint32_t area, uint32_t offset,
                            uint32_t len)
{
    return serve(env, AGENT_IMPORT_FLASH_ERASE, (const uint32_t[]){area, offset, len});
}

void Z_envZ_report(struct Z_env_instance_t *env, uint32_t channel, uint32_t document,
                   uint32_t len)
{
    serve(env, AGENT_IMPORT_REPORT, (const uint32_t[]){channel, document, len});
}

uint32_t Z_envZ_fetch(struct Z_env_instance_t *env, uint32_t url, uint32_t len, uint32_t offset)
{
    return serve(env, AGENT_IMPORT_FETCH, (const uint32_t[]){url, len, offset});
}

void Z_envZ_fetch_cancel(struct Z_env_instance_t *env)
{
    serve(env, AGENT_IMPORT_FETCH_CANCEL, NULL);
}

uint32_t Z_envZ_apply_json(struct Z_env_instance_t *env, uint32_t json, uint32_t len)
{
    return serve(env, AGENT_IMPORT_APPLY_JSON, (const uint32_t[]){json, len});
}

void Z_envZ_reset(struct Z_env_instance_t *env)
{
    serve(env, AGENT_IMPORT_RESET, NULL);
}

uint32_t Z_envZ_sha256_native(struct Z_env_instance_t *env, uint32_t op, uint32_t context,
                              uint32_t data, uint32_t len)
{
    return serve(env, AGENT_IMPORT_SHA256_NATIVE, (const uint32_t[]){op, context, data, len});
}

uint32_t Z_envZ_ed25519_native(struct Z_env_instance_t *env, uint32_t signature, uint32_t public_key,
                               uint32_t message, uint32_t len)
{
    return serve(env, AGENT_IMPORT_ED25519_NATIVE, (const uint32_t[]){signature, public_key, message, len});
}
