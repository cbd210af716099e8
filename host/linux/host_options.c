#include "host_options.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum option_value { VALUE_PATH, VALUE_U32, VALUE_BYTE, VALUE_NONE };

/* One row per option: its group, what it takes and where the value goes. */
static const struct option_spec {
    const char *name;
    unsigned group;
    enum option_value value;
    size_t field; /* offset of the destination in struct host_options */
    const char *argument; /* how the value looks, for the usage text */
    const char *help;
} option_specs[] = {
    {"--agent", HOST_OPTIONS_AGENT, VALUE_PATH, offsetof(struct host_options, agent_path),
     "<agent.wasm>", "the agent module (required)"},
    {"--memory-limit", HOST_OPTIONS_AGENT, VALUE_U32,
     offsetof(struct host_options, agent_config.memory_limit),
     "<bytes>", "linear memory wasm3 allocates for the agent (default 49152)"},
    {"--stack-size", HOST_OPTIONS_AGENT, VALUE_U32,
     offsetof(struct host_options, agent_config.stack_size),
     "<bytes>", "wasm3 value stack (default 8192, at least 1024)"},
    {"--flash", HOST_OPTIONS_FLASH, VALUE_PATH, offsetof(struct host_options, flash_path),
     "<image>", "flash image file, created erased if missing (default: in memory)"},
    {"--boot-record-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_BOOT_RECORD]),
     "<bytes>", "area 0, at least four sectors (default 16384)"},
    {"--slot-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_SLOT_A]),
     "<bytes>", "areas 1 and 2, slot A and slot B (default 262144)"},
    {"--sector-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.sector_size), "<bytes>", "erase unit (default 4096)"},
    {"--write-align", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.write_align), "<bytes>", "write unit (default 4)"},
    {"--erased-value", HOST_OPTIONS_FLASH, VALUE_BYTE,
     offsetof(struct host_options, flash_geometry.erased_value), "<0xFF|0x00>", "value of an erased byte (default 0xFF)"},
    {"--and-writes", HOST_OPTIONS_FLASH, VALUE_NONE,
     offsetof(struct host_options, flash_geometry.and_writes),
     "", "writes combine with old bits instead of needing erased bytes"},
};

#define OPTION_COUNT (sizeof option_specs / sizeof option_specs[0])

static bool parse_u32(const char *text, uint32_t *value)
{
    if (!*text || *text == '-') return false;
    char *end = NULL;
    errno = 0;
    unsigned long long parsed = strtoull(text, &end, 0);
    if (errno || *end || parsed > UINT32_MAX) return false;
    *value = (uint32_t)parsed;
    return true;
}

static bool store_value(struct host_options *options, const struct option_spec *spec,
                        const char *text, char *error, size_t error_size)
{
    void *field = (char *)options + spec->field;
    uint32_t number = 0;
    switch (spec->value) {
    case VALUE_PATH:
        *(const char **)field = text;
        return true;
    case VALUE_U32:
        if (!parse_u32(text, &number)) break;
        *(uint32_t *)field = number;
        /* The two slots always have the same size: an image fits either. */
        if (spec->field == offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_SLOT_A]))
            options->flash_geometry.area_size[OTAU_AREA_SLOT_B] = number;
        return true;
    case VALUE_BYTE:
        if (!parse_u32(text, &number) || number > 0xFF) break;
        *(uint8_t *)field = (uint8_t)number;
        return true;
    case VALUE_NONE:
        *(bool *)field = true;
        return true;
    }
    snprintf(error, error_size, "%s needs a number, not '%s'", spec->name, text);
    return false;
}

bool host_options_parse(struct host_options *options, int argc, char **argv, unsigned groups,
                        char *error, size_t error_size)
{
    memset(options, 0, sizeof *options);
    options->flash_geometry = file_flash_default_geometry;

    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            if (options->positional_count == HOST_OPTIONS_MAX_POSITIONAL) {
                snprintf(error, error_size, "too many arguments at '%s'", arg);
                return false;
            }
            options->positional[options->positional_count++] = arg;
            continue;
        }
        const struct option_spec *spec = NULL;
        for (size_t k = 0; k < OPTION_COUNT; k++)
            if ((option_specs[k].group & groups) && strcmp(option_specs[k].name, arg) == 0)
                spec = &option_specs[k];
        if (!spec) {
            snprintf(error, error_size, "unknown option '%s'", arg);
            return false;
        }
        const char *text = NULL;
        if (spec->value != VALUE_NONE) {
            if (i + 1 >= argc) {
                snprintf(error, error_size, "%s needs a value", arg);
                return false;
            }
            text = argv[++i];
        }
        if (!store_value(options, spec, text, error, error_size)) return false;
    }
    if ((groups & HOST_OPTIONS_AGENT) && !options->agent_path) {
        snprintf(error, error_size, "missing --agent <agent.wasm>");
        return false;
    }
    return true;
}

void host_options_print_usage(FILE *stream, unsigned groups)
{
    for (size_t k = 0; k < OPTION_COUNT; k++)
        if (option_specs[k].group & groups)
            fprintf(stream, "  %-18s %-12s %s\n", option_specs[k].name, option_specs[k].argument,
                    option_specs[k].help);
}
