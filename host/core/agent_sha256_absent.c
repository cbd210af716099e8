/* No native SHA-256 in this build: the agent keeps its own (assembly/crypto/sha256.ts). */
#include "agent_sha256.h"

int32_t agent_sha256(uint32_t op, uint8_t *context, const uint8_t *data, uint32_t len,
                     uint8_t *digest)
{
    (void)op;
    (void)context;
    (void)data;
    (void)len;
    (void)digest;
    return OTAU_SHA256_NOT_PROVIDED;
}
