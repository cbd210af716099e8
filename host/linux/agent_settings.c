#include "agent_settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const setting_names[] = {
    [1] = "require-digest", [2] = "allow-downgrade", [3] = "max-attempts",
    [4] = "retry-base-ms",  [5] = "retry-max-ms",    [6] = "stall-timeout-ms",
    [7] = "trial-boots",    [8] = "factory-image-size",
    [10] = "jitter-seed",   [11] = "retry-cooldown-ms", [12] = "allow-unverified-images",
};

#define SETTING_COUNT (sizeof setting_names / sizeof setting_names[0])

bool agent_setting_parse(const char *text, struct agent_setting *setting, char *error,
                         size_t error_size)
{
    const char *equals = strchr(text, '=');
    size_t name_len = equals ? (size_t)(equals - text) : strlen(text);
    for (uint32_t id = 1; id < SETTING_COUNT; id++) {
        if (!setting_names[id] || strlen(setting_names[id]) != name_len || strncmp(text, setting_names[id], name_len) != 0)
            continue;
        const char *value = equals ? equals + 1 : "";
        char *end = NULL;
        errno = 0;
        unsigned long long parsed = strtoull(value, &end, 10);
        if (!*value || *value == '-' || *end || errno || parsed > UINT32_MAX) {
            snprintf(error, error_size, "--setting %s needs a whole number, not '%s'",
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
             "jitter-seed, retry-cooldown-ms, allow-unverified-images)",
             text);
    return false;
}
