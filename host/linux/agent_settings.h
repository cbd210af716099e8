/* The agent's device settings (docs/abi.md `configure`) by name, for `--setting name=value`. */
#ifndef OTAU_AGENT_SETTINGS_H
#define OTAU_AGENT_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "otau_abi.h"

/* OTAU_SETTING_CLOUD follows --cloud and has no name here. */

struct agent_setting {
    uint32_t id;
    uint32_t value;
};

/* Parses "name=value" (names: require-digest, allow-downgrade, max-attempts, retry-base-ms,
 * retry-max-ms, stall-timeout-ms, trial-boots, factory-image-size, jitter-seed,
 * retry-cooldown-ms, allow-unverified-images, slot-address-a, slot-address-b; a value in decimal
 * or after 0x in hexadecimal). False with a reason in `error`; the agent
 * itself checks the value's range when it is configured. */
bool agent_setting_parse(const char *text, struct agent_setting *setting, char *error,
                         size_t error_size);

#endif /* OTAU_AGENT_SETTINGS_H */
