#include "agent_exports.h"

const struct agent_export_spec agent_export_specs[AGENT_EXPORT_COUNT] = {
    [AGENT_EXPORT_START] = {"_start", 0},
    [AGENT_EXPORT_IO_BUFFER] = {"io_buffer", 0},
    [AGENT_EXPORT_IO_BUFFER_SIZE] = {"io_buffer_size", 0},
    [AGENT_EXPORT_BOOT] = {"boot", 0},
    [AGENT_EXPORT_SHA256_INIT] = {"sha256_init", 0},
    [AGENT_EXPORT_SHA256_UPDATE] = {"sha256_update", 1},
    [AGENT_EXPORT_SHA256_FINAL] = {"sha256_final", 0},
    [AGENT_EXPORT_FIRMWARE_VERSION] = {"firmware_version", 1},
    [AGENT_EXPORT_CONFIGURE] = {"configure", 2},
    [AGENT_EXPORT_ON_CONFIG] = {"on_config", 2},
    [AGENT_EXPORT_ON_RESPONSE] = {"on_response", 3},
    [AGENT_EXPORT_ON_DATA] = {"on_data", 1},
    [AGENT_EXPORT_ON_DATA_END] = {"on_data_end", 1},
    [AGENT_EXPORT_ON_TICK] = {"on_tick", 1},
    [AGENT_EXPORT_ON_HEALTHY] = {"on_healthy", 0},
    [AGENT_EXPORT_AGENT_STATE] = {"agent_state", 0},
    [AGENT_EXPORT_ED25519_VERIFY] = {"ed25519_verify", 1},
};
