/* The native Ed25519 verifier behind the agent's ed25519_native import
 * (host/core/agent_ed25519_native.c over host/boot/boot_image_check.c): RFC 8032 7.1 TEST 1 and
 * TEST SHA(abc) verify, a flipped bit does not, and a message longer than the translated
 * verifier takes is left to the agent. Prints one line per failed check, exits non-zero if any. */
#include <stdio.h>
#include <string.h>

#include "agent_ed25519.h"

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("FAIL %s\n", what);
    }
}

static void from_hex(const char *hex, uint8_t *out)
{
    for (size_t i = 0; hex[2 * i]; i++) {
        unsigned byte;
        sscanf(hex + 2 * i, "%2x", &byte);
        out[i] = (uint8_t)byte;
    }
}

int main(void)
{
    uint8_t key[32], signature[64], message[64];
    static uint8_t long_message[2048];
    from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", key);
    from_hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", signature);
    check(agent_ed25519(signature, key, NULL, 0) == OTAU_ED25519_VALID, "RFC 8032 TEST 1 (empty message) verifies");
    signature[40] ^= 0x01;
    check(agent_ed25519(signature, key, NULL, 0) == OTAU_ED25519_INVALID, "TEST 1 with a bit of S flipped does not");

    from_hex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", key);
    from_hex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", message);
    from_hex("dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704", signature);
    check(agent_ed25519(signature, key, message, 64) == OTAU_ED25519_VALID, "RFC 8032 TEST SHA(abc) verifies");
    message[0] ^= 0x80;
    check(agent_ed25519(signature, key, message, 64) == OTAU_ED25519_INVALID, "TEST SHA(abc) with a bit of the message flipped does not");
    check(agent_ed25519(signature, key, long_message, sizeof long_message) == OTAU_ED25519_NOT_PROVIDED,
          "a 2048-byte message is left to the agent");
    printf("%s: %d failed\n", failures ? "FAIL" : "ok", failures);
    return failures ? 1 : 0;
}
