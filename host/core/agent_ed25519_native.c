/* The agent's signatures verified by the bootloader's verifier (host/boot/boot_image_check.c,
 * the agent's own code translated to C): one implementation, without the interpreter's cost.
 * A message longer than that verifier takes (928 bytes) is left to the agent. */
#include "agent_ed25519.h"

#include "boot_image_check.h"

int32_t agent_ed25519(const uint8_t *signature, const uint8_t *public_key, const uint8_t *message,
                      uint32_t len)
{
    int verdict = boot_ed25519_verify(signature, public_key, message, len);
    if (verdict < 0) return OTAU_ED25519_NOT_PROVIDED;
    return verdict == 1 ? OTAU_ED25519_VALID : OTAU_ED25519_INVALID;
}
