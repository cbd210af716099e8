/* Starts the agent on a device and delivers boot(); the agent's log lines go to stdout. `start`
 * first runs the bootloader over the flash file, as a reset does (boot decision, image check). */
#include <stdio.h>

#include "commands.h"
#include "device_session.h"
#include "linux_bootloader.h"

static int boot_device(const char *name, int argc, char **argv, bool bootloader)
{
    struct host_options options;
    char error[256];
    if (!host_options_parse(&options, argc, argv, HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH, error,
                            sizeof error)) {
        host_error("%s: %s", name, error);
        return HOST_EXIT_USAGE;
    }
    if (options.positional_count != 0) {
        host_error("%s: unexpected argument '%s'", name, options.positional[0]);
        return HOST_EXIT_USAGE;
    }
    struct device_session session;
    int status = device_session_open(&session, &options, true, stdout);
    if (status != HOST_EXIT_OK) return status;

    int32_t result = 0;
    if (bootloader && linux_bootloader_run(&session.device) != 0)
        status = HOST_EXIT_FAILED;
    else if (!device_session_call_ok(&session, "boot", otau_agent_boot(session.agent, &result), result))
        status = HOST_EXIT_FAILED;
    device_session_close(&session);
    return status;
}

int command_boot(int argc, char **argv)
{
    return boot_device("boot", argc, argv, false);
}

int command_start(int argc, char **argv)
{
    return boot_device("start", argc, argv, true);
}
