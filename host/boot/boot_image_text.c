/* The image check's outcomes in words (boot_image_check.h), apart from the check itself so
 * that a program printing a decision need not link the verifier. */
#include "boot_image_check.h"

const char *boot_image_refusal_text(int refusal)
{
    /* assembly/image/problem.ts ImageProblem, in order from 1. */
    static const char *const problems[] = {
        "bad header magic", "header size invalid", "protected TLV size invalid", "encrypted image",
        "image larger than the slot", "image larger than its record", "version differs",
        "TLV info magic wrong", "TLV info size wrong", "TLV entry overruns its area", "TLV length wrong",
        "TLV repeated", "security counter outside the protected TLVs",
        "TLV area does not end at the recorded size", "flash read failed", "no SHA256 TLV",
        "image hash differs from its SHA256 TLV", "unsigned image (no ED25519 TLV)", "no KEYHASH TLV",
        "signed by a key this device does not trust", "ED25519 signature does not verify",
        "security counter lower than the recorded one", "image linked to run from another address",
    };
    if (refusal == BOOT_IMAGE_ACCEPTED) return "accepted";
    if (refusal >= 1 && refusal <= (int)(sizeof problems / sizeof problems[0])) return problems[refusal - 1];
    switch (refusal) {
    case BOOT_IMAGE_SLOT_UNREADABLE: return "slot unreadable";
    case BOOT_IMAGE_TRUST_STORE_UNREADABLE: return "trust store unreadable";
    case BOOT_IMAGE_VERIFIER_TRAPPED: return "verifier trapped";
    case BOOT_IMAGE_VERIFIER_MEMORY: return "verifier memory too small";
    }
    return "unknown refusal";
}

const char *boot_image_checked_text(int checked)
{
    return checked == BOOT_IMAGE_SIGNATURE ? "signature verified"
           : checked == BOOT_IMAGE_HASH    ? "image hash matches"
                                           : "record digest only";
}
