/* No native Ed25519: the agent verifies in AssemblyScript (docs/abi.md "Accelerators"). */
#include "agent_ed25519.h"

int32_t agent_ed25519(const uint8_t *signature, const uint8_t *public_key, const uint8_t *message,
                      uint32_t len)
{
    (void)signature, (void)public_key, (void)message, (void)len;
    return OTAU_ED25519_NOT_PROVIDED;
}
