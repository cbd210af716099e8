/* Command-line options shared by otau-host's commands. */
#ifndef OTAU_HOST_OPTIONS_H
#define OTAU_HOST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "file_flash.h"
#include "otau_agent.h"

#define HOST_OPTIONS_MAX_POSITIONAL 4
#define HOST_OPTIONS_MAX_SETTINGS 16
/* --confirm-after-ms when not given: a trial image is never confirmed by the host. */
#define HOST_NEVER_CONFIRM UINT32_MAX

/* Which groups of options a command accepts; anything else is an unknown option. */
enum host_option_groups {
    HOST_OPTIONS_AGENT = 1, /* --agent, --memory-limit, --stack-size, --log */
    HOST_OPTIONS_FLASH = 2, /* --flash and the flash geometry */
    HOST_OPTIONS_RUN = 4    /* the clouds, the health policy, exit and trace (otau-host run) */
};

/* What `otau-host run` needs beyond the agent and the flash; command_run checks the values. */
struct run_options {
    const char *cloud; /* "murano" or "kaa"; NULL means murano */
    const char *murano_url;
    const char *identity;
    const char *cik_file;
    uint32_t poll_timeout_ms;
    const char *kaa_mqtt;
    const char *kaa_app;
    const char *kaa_token;
    const char *mqtt_ca;       /* CA file that verifies an mqtts:// broker; NULL: the system's */
    const char *mqtt_username; /* for brokers that ask; Kaa's 1/KP needs none */
    const char *mqtt_password;
    const char *firmware_version;
    uint32_t confirm_after_ms;
    const char *exit_when_installed;
    const char *trace_path;
    const char *settings[HOST_OPTIONS_MAX_SETTINGS]; /* "name=value", in the order given */
    int setting_count;
};

struct host_options {
    const char *agent_path;
    struct otau_agent_config agent_config;
    enum otau_log_level log_level;
    const char *flash_path; /* NULL: the flash lives in memory only */
    struct file_flash_geometry flash_geometry;
    struct run_options run;
    const char *positional[HOST_OPTIONS_MAX_POSITIONAL];
    int positional_count;
};

/* Parses argv (after the command name). Returns false with a one-line reason in `error`. */
bool host_options_parse(struct host_options *options, int argc, char **argv, unsigned groups,
                        char *error, size_t error_size);

/* The option lines of the usage text, for the groups given. */
void host_options_print_usage(FILE *stream, unsigned groups);

#endif /* OTAU_HOST_OPTIONS_H */
