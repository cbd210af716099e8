#include "host_options.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum option_value { VALUE_TEXT, VALUE_U32, VALUE_BYTE, VALUE_NONE, VALUE_LEVEL, VALUE_SETTING };

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/* One row per option: its group, what it takes and where the value goes. */
static const struct option_spec {
    const char *name;
    unsigned group;
    enum option_value value;
    size_t field; /* offset of the destination in struct host_options */
    const char *argument; /* how the value looks, for the usage text */
    const char *help;
} option_specs[] = {
    {"--agent", HOST_OPTIONS_AGENT, VALUE_TEXT, offsetof(struct host_options, agent_path),
     "<agent.wasm>", "the agent module (required)"},
    {"--memory-limit", HOST_OPTIONS_AGENT, VALUE_U32,
     offsetof(struct host_options, agent_config.memory_limit),
     "<bytes>", "linear memory wasm3 allocates for the agent (default 49152)"},
    {"--stack-size", HOST_OPTIONS_AGENT, VALUE_U32,
     offsetof(struct host_options, agent_config.stack_size),
     "<bytes>", "wasm3 value stack (default 8192, at least 3072)"},
    {"--log", HOST_OPTIONS_AGENT, VALUE_LEVEL, offsetof(struct host_options, log_level),
     "<level>", "error, warn, info (default) or debug: the least severe log line shown"},
    {"--flash", HOST_OPTIONS_FLASH, VALUE_TEXT, offsetof(struct host_options, flash_path),
     "<image>", "flash image file, created erased if missing (default: in memory)"},
    {"--boot-record-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_BOOT_RECORD]),
     "<bytes>", "area 0, at least four sectors (default 16384)"},
    {"--slot-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_SLOT_A]),
     "<bytes>", "areas 1 and 2, slot A and slot B (default 262144)"},
    {"--trust-store-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.area_size[OTAU_AREA_TRUST_STORE]),
     "<bytes>", "area 3, the trust store, after slot B in the image (default 0: none, no signature checks)"},
    {"--sector-size", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.sector_size), "<bytes>", "erase unit (default 4096)"},
    {"--write-align", HOST_OPTIONS_FLASH, VALUE_U32,
     offsetof(struct host_options, flash_geometry.write_align), "<bytes>", "write unit (default 4)"},
    {"--erased-value", HOST_OPTIONS_FLASH, VALUE_BYTE,
     offsetof(struct host_options, flash_geometry.erased_value), "<0xFF|0x00>", "value of an erased byte (default 0xFF)"},
    {"--and-writes", HOST_OPTIONS_FLASH, VALUE_NONE,
     offsetof(struct host_options, flash_geometry.and_writes),
     "", "writes combine with old bits instead of needing erased bytes"},
    {"--cloud", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.cloud),
     "<murano|kaa>", "which cloud sends updates and hears statuses (default murano)"},
    {"--murano", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.murano_url),
     "<url>", "Murano HTTP Device API base URL, e.g. https://<product>.m2.exosite.io"},
    {"--identity", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.identity),
     "<id>", "the device identity Murano activates"},
    {"--cik-file", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.cik_file),
     "<file>", "where the activation token (CIK) is kept (default <flash>.cik)"},
    {"--poll-timeout-ms", HOST_OPTIONS_RUN, VALUE_U32,
     offsetof(struct host_options, run.poll_timeout_ms),
     "<ms>", "Request-Timeout of the config_otau long-poll (default 30000, at most 300000)"},
    {"--kaa-mqtt", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.kaa_mqtt),
     "<url>", "Kaa 1/KP broker, mqtt://host[:port] or mqtts://host[:port] (TLS)"},
    {"--mqtt-ca", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.mqtt_ca),
     "<file>", "CA certificate (PEM) that verifies an mqtts:// broker (default: the system's)"},
    {"--mqtt-username", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.mqtt_username),
     "<name>", "MQTT user name, for a broker that asks for one"},
    {"--mqtt-password", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.mqtt_password),
     "<text>", "MQTT password (with --mqtt-username)"},
    {"--kaa-app", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.kaa_app),
     "<name>", "the Kaa application (the topics' appVersion level)"},
    {"--kaa-token", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.kaa_token),
     "<token>", "this endpoint's token"},
    {"--firmware-version", HOST_OPTIONS_RUN, VALUE_TEXT,
     offsetof(struct host_options, run.firmware_version),
     "<version>", "the factory firmware's version, used while flash has no boot record"},
    {"--confirm-after-ms", HOST_OPTIONS_RUN, VALUE_U32,
     offsetof(struct host_options, run.confirm_after_ms),
     "<ms>", "confirm a trial image this long after boot, once the cloud answered (default never)"},
    {"--exit-when-installed", HOST_OPTIONS_RUN, VALUE_TEXT,
     offsetof(struct host_options, run.exit_when_installed),
     "<version>", "exit 0 once the agent reports this version as INSTALLED_VERSION"},
    {"--trace", HOST_OPTIONS_RUN, VALUE_TEXT, offsetof(struct host_options, run.trace_path),
     "<file>", "append every report as a JSON line {\"channel\",\"document\"}"},
    {"--setting", HOST_OPTIONS_RUN, VALUE_SETTING, offsetof(struct host_options, run.settings),
     "<name>=<n>", "an agent setting (docs/abi.md), e.g. max-attempts=3; repeatable"},
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
    case VALUE_TEXT:
        *(const char **)field = text;
        return true;
    case VALUE_U32:
        if (!parse_u32(text, &number)) break;
        *(uint32_t *)field = number;
        return true;
    case VALUE_BYTE:
        if (!parse_u32(text, &number) || number > 0xFF) break;
        *(uint8_t *)field = (uint8_t)number;
        return true;
    case VALUE_NONE:
        *(bool *)field = true;
        return true;
    case VALUE_LEVEL:
        for (size_t level = 0; level < sizeof level_names / sizeof level_names[0]; level++)
            if (strcmp(text, level_names[level]) == 0) {
                *(enum otau_log_level *)field = (enum otau_log_level)level;
                return true;
            }
        snprintf(error, error_size, "%s takes error, warn, info or debug, not '%s'", spec->name,
                 text);
        return false;
    case VALUE_SETTING:
        if (options->run.setting_count == HOST_OPTIONS_MAX_SETTINGS) {
            snprintf(error, error_size, "more than %d %s options", HOST_OPTIONS_MAX_SETTINGS,
                     spec->name);
            return false;
        }
        options->run.settings[options->run.setting_count++] = text;
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
    options->log_level = OTAU_LOG_INFO;
    options->run.poll_timeout_ms = 30000;
    options->run.confirm_after_ms = HOST_NEVER_CONFIRM;

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
    /* --slot-size sets slot A; slot B always has the same size, so that an image fits either. */
    uint32_t *area_size = options->flash_geometry.area_size;
    area_size[OTAU_AREA_SLOT_B] = area_size[OTAU_AREA_SLOT_A];
    /* Below the floor the agent traps on its first config, and again after every restart. */
    uint32_t stack_size = options->agent_config.stack_size;
    if (stack_size != 0 && stack_size < OTAU_AGENT_MIN_STACK_SIZE) {
        snprintf(error, error_size,
                 "--stack-size %u is too small: the agent needs at least %u bytes of wasm3 stack",
                 (unsigned)stack_size, OTAU_AGENT_MIN_STACK_SIZE);
        return false;
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
            fprintf(stream, "  %-21s %-14s %s\n", option_specs[k].name, option_specs[k].argument,
                    option_specs[k].help);
}
