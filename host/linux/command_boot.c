/* Starts the agent on a device and delivers boot(); the agent's log lines go to stdout. */
#include <stdio.h>

#include "commands.h"
#include "device_session.h"

int command_boot(int argc, char **argv)
{
    struct host_options options;
    char error[256];
    if (!host_options_parse(&options, argc, argv, HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH, error,
                            sizeof error)) {
        host_error("boot: %s", error);
        return HOST_EXIT_USAGE;
    }
    if (options.positional_count != 0) {
        host_error("boot: unexpected argument '%s'", options.positional[0]);
        return HOST_EXIT_USAGE;
    }
    struct device_session session;
    int status = device_session_open(&session, &options, true, stdout);
    if (status != HOST_EXIT_OK) return status;

    int32_t result = 0;
    if (!device_session_call_ok(&session, "boot", otau_agent_boot(session.agent, &result), result))
        status = HOST_EXIT_FAILED;
    device_session_close(&session);
    return status;
}
