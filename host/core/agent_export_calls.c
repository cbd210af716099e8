/* The export wrappers of otau_agent.h, the same for both runtimes: each is one
 * agent_call_export() of the runtime linked in. */
#include "agent_exports.h"
#include "otau_agent.h"

int otau_agent_boot(otau_agent *agent, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_BOOT, NULL, result);
}

int otau_agent_sha256_init(otau_agent *agent, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_SHA256_INIT, NULL, result);
}

int otau_agent_sha256_update(otau_agent *agent, uint32_t len, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_SHA256_UPDATE, &len, result);
}

int otau_agent_sha256_final(otau_agent *agent, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_SHA256_FINAL, NULL, result);
}

int otau_agent_ed25519_verify(otau_agent *agent, uint32_t len, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_ED25519_VERIFY, &len, result);
}

int otau_agent_firmware_version(otau_agent *agent, uint32_t len, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_FIRMWARE_VERSION, &len, result);
}

int otau_agent_configure(otau_agent *agent, uint32_t setting, uint32_t value, int32_t *result)
{
    const uint32_t args[2] = {setting, value};
    return agent_call_export(agent, AGENT_EXPORT_CONFIGURE, args, result);
}

int otau_agent_on_config(otau_agent *agent, uint32_t source, uint32_t len, int32_t *result)
{
    const uint32_t args[2] = {source, len};
    return agent_call_export(agent, AGENT_EXPORT_ON_CONFIG, args, result);
}

int otau_agent_on_response(otau_agent *agent, uint32_t http_status, uint32_t range_start,
                           uint32_t total_length, int32_t *result)
{
    const uint32_t args[3] = {http_status, range_start, total_length};
    return agent_call_export(agent, AGENT_EXPORT_ON_RESPONSE, args, result);
}

int otau_agent_on_data(otau_agent *agent, uint32_t len, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_ON_DATA, &len, result);
}

int otau_agent_on_data_end(otau_agent *agent, uint32_t ok, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_ON_DATA_END, &ok, result);
}

int otau_agent_on_tick(otau_agent *agent, uint32_t now_ms, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_ON_TICK, &now_ms, result);
}

int otau_agent_on_healthy(otau_agent *agent, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_ON_HEALTHY, NULL, result);
}

int otau_agent_state(otau_agent *agent, int32_t *result)
{
    return agent_call_export(agent, AGENT_EXPORT_AGENT_STATE, NULL, result);
}
