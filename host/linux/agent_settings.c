#include "agent_settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const setting_names[] = {
    [OTAU_SETTING_REQUIRE_DIGEST] = "require-digest",
    [OTAU_SETTING_ALLOW_DOWNGRADE] = "allow-downgrade",
    [OTAU_SETTING_MAX_ATTEMPTS] = "max-attempts",
    [OTAU_SETTING_RETRY_BASE_MS] = "retry-base-ms",
    [OTAU_SETTING_RETRY_MAX_MS] = "retry-max-ms",
    [OTAU_SETTING_STALL_TIMEOUT_MS] = "stall-timeout-ms",
    [OTAU_SETTING_TRIAL_BOOTS] = "trial-boots",
    [OTAU_SETTING_FACTORY_IMAGE_SIZE] = "factory-image-size",
    [OTAU_SETTING_JITTER_SEED] = "jitter-seed",
    [OTAU_SETTING_RETRY_COOLDOWN_MS] = "retry-cooldown-ms",
    [OTAU_SETTING_ALLOW_UNVERIFIED_IMAGES] = "allow-unverified-images",
    [OTAU_SETTING_SLOT_ADDRESS_A] = "slot-address-a",
    [OTAU_SETTING_SLOT_ADDRESS_B] = "slot-address-b",
};

#define SETTING_COUNT (sizeof setting_names / sizeof setting_names[0])

bool agent_setting_parse(const char *text, struct agent_setting *setting, char *error,
                         size_t error_size)
{
    const char *equals = strchr(text, '=');
    size_t name_len = equals ? (size_t)(equals - text) : strlen(text);
    for (uint32_t id = OTAU_SETTING_CLOUD + 1; id < SETTING_COUNT; id++) {
        if (!setting_names[id] || strlen(setting_names[id]) != name_len || strncmp(text, setting_names[id], name_len) != 0)
            continue;
        const char *value = equals ? equals + 1 : "";
        char *end = NULL;
        errno = 0;
        /* Decimal, or hexadecimal after 0x (slot addresses); never octal. */
        bool hex = value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
        unsigned long long parsed = strtoull(value, &end, hex ? 16 : 10);
        if (!*value || *value == '-' || *end || errno || parsed > UINT32_MAX) {
            snprintf(error, error_size, "--setting %s needs a whole number (decimal, or hexadecimal after 0x), not '%s'",
                     setting_names[id], value);
            return false;
        }
        setting->id = id;
        setting->value = (uint32_t)parsed;
        return true;
    }
    snprintf(error, error_size,
             "--setting '%s': unknown name (require-digest, allow-downgrade, max-attempts, "
             "retry-base-ms, retry-max-ms, stall-timeout-ms, trial-boots, factory-image-size, "
             "jitter-seed, retry-cooldown-ms, allow-unverified-images, slot-address-a, slot-address-b)",
             text);
    return false;
}
