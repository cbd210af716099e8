/* otau-host: the agent on Linux. Dispatches to one command per mode. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "device_session.h"

static const struct host_command {
    const char *name;
    int (*run)(int argc, char **argv);
    unsigned option_groups;
    const char *synopsis;
} host_commands[] = {
    {"sha256", command_sha256, HOST_OPTIONS_AGENT,
     "--agent <agent.wasm> <file>   print the file's SHA-256, computed by the agent"},
    {"ed25519", command_ed25519, HOST_OPTIONS_AGENT,
     "--agent <agent.wasm> <file> [times]   the agent's Ed25519 verdict on signature || key || message"},
    {"boot", command_boot, HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH,
     "--agent <agent.wasm> [--flash <image>]   start the agent, print its log"},
    {"start", command_start, HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH,
     "--agent <agent.wasm> --flash <image>   a reset: the bootloader (boot decision, image check), then the agent"},
    {"run", command_run, HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH | HOST_OPTIONS_RUN,
     "--agent <agent.wasm> --flash <image> <cloud options>   the update agent and its cloud"},
};

#define COMMAND_COUNT (sizeof host_commands / sizeof host_commands[0])

static void print_usage(FILE *stream)
{
    fprintf(stream, "usage: otau-host <command> [options]\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        fprintf(stream, "\notau-host %s %s\n", host_commands[i].name, host_commands[i].synopsis);
        host_options_print_usage(stream, host_commands[i].option_groups);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        host_error("missing command (sha256, ed25519, boot, start or run; --help for usage)");
        return HOST_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return HOST_EXIT_OK;
    }
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(argv[1], host_commands[i].name) == 0)
            return host_commands[i].run(argc - 2, argv + 2);
    host_error("unknown command '%s' (sha256, ed25519, boot, start or run; --help for usage)", argv[1]);
    return HOST_EXIT_USAGE;
}
