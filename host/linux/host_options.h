/* Command-line options shared by otau-host's commands. */
#ifndef OTAU_HOST_OPTIONS_H
#define OTAU_HOST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "file_flash.h"
#include "otau_agent.h"

#define HOST_OPTIONS_MAX_POSITIONAL 4

/* Which groups of options a command accepts; anything else is an unknown option. */
enum host_option_groups {
    HOST_OPTIONS_AGENT = 1, /* --agent, --memory-limit, --stack-size */
    HOST_OPTIONS_FLASH = 2  /* --flash and the flash geometry */
};

struct host_options {
    const char *agent_path;
    struct otau_agent_config agent_config;
    const char *flash_path; /* NULL: the flash lives in memory only */
    struct file_flash_geometry flash_geometry;
    const char *positional[HOST_OPTIONS_MAX_POSITIONAL];
    int positional_count;
};

/* Parses argv (after the command name). Returns false with a one-line reason in `error`. */
bool host_options_parse(struct host_options *options, int argc, char **argv, unsigned groups,
                        char *error, size_t error_size);

/* The option lines of the usage text, for the groups given. */
void host_options_print_usage(FILE *stream, unsigned groups);

#endif /* OTAU_HOST_OPTIONS_H */
