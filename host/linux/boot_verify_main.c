/*
 * boot-verify: the bootloader's Ed25519 verifier (assembly/boot_verifier.ts translated by wasm2c,
 * host/boot/boot_image_check.c) driven directly, so that tests hold the C path to RFC 8032 and
 * node:crypto on the same vectors as the agent.
 *
 *   boot-verify ed25519     reads lines "<signature hex> <public key hex> <message hex>" from
 *                           stdin (64, 32 and up to 928 bytes) and prints one verdict per line:
 *                           "valid", "invalid", or "error" (a message too long for the verifier)
 *   boot-verify refusals    prints "<code> <reason>" for every refusal code the bootloader names
 *                           (boot_image_refusal_text), for tests holding the agent's words to it
 *
 * Exit status: 0 every line was read, 1 bad arguments or a malformed line (named on stderr).
 */
#include <stdio.h>
#include <string.h>

#include "boot_image_check.h"

#define MESSAGE_MAX 928u
#define LINE_MAX_BYTES (2u * (64u + 32u + MESSAGE_MAX) + 8u)

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads hex digits up to a space or the end of the field into out (at most max bytes); the byte
 * count, or -1 for an odd count, a non-hex digit or too many bytes. */
static long read_hex(const char **text, uint8_t *out, size_t max)
{
    size_t n = 0;
    const char *at = *text;
    while (*at && *at != ' ' && *at != '\n') {
        int high = hex_value(at[0]), low = at[1] ? hex_value(at[1]) : -1;
        if (high < 0 || low < 0 || n == max) return -1;
        out[n++] = (uint8_t)(high << 4 | low);
        at += 2;
    }
    *text = *at == ' ' ? at + 1 : at;
    return (long)n;
}

static int print_refusals(void)
{
    const char *unknown = boot_image_refusal_text(-1);
    for (int code = 1; code <= 255; code++) {
        const char *text = boot_image_refusal_text(code);
        if (strcmp(text, unknown) != 0) printf("%d %s\n", code, text);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "refusals") == 0) return print_refusals();
    if (argc != 2 || strcmp(argv[1], "ed25519") != 0) {
        fprintf(stderr, "boot-verify: usage: boot-verify ed25519 < lines of '<signature hex> <key hex> <message hex>'\n"
                        "       boot-verify refusals\n");
        return 1;
    }
    static char line[LINE_MAX_BYTES];
    static uint8_t message[MESSAGE_MAX + 1];
    uint8_t signature[64], key[32];
    for (unsigned long number = 1; fgets(line, sizeof line, stdin); number++) {
        const char *at = line;
        long message_len;
        if (read_hex(&at, signature, sizeof signature) != 64 || read_hex(&at, key, sizeof key) != 32 ||
            (message_len = read_hex(&at, message, sizeof message)) < 0 || (*at && *at != '\n')) {
            fprintf(stderr, "boot-verify: line %lu is not '<64-byte signature hex> <32-byte key hex> <message hex>'\n", number);
            return 1;
        }
        int verdict = boot_ed25519_verify(signature, key, message, (uint32_t)message_len);
        puts(verdict == 1 ? "valid" : verdict == 0 ? "invalid" : "error");
    }
    return 0;
}
