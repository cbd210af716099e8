/*
 * otau-host run: the agent as a Linux gateway's update agent. Starts like a device: the
 * bootloader's decision over the flash file (host/boot), then the agent's boot, then the event
 * loop with the cloud (Murano HTTP or Kaa MQTT) and the image fetch (libcurl). When the agent
 * asks for a reset, the host re-executes itself, so the next start goes through the bootloader
 * again, exactly as after a power cycle.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "kaa_link.h"
#include "linux_bootloader.h"
#include "murano_link.h"
#include "run_loop.h"

#define RUN_OPTION_GROUPS (HOST_OPTIONS_AGENT | HOST_OPTIONS_FLASH | HOST_OPTIONS_RUN)
#define CLOUD_MURANO 0u
#define CLOUD_KAA 1u

static int usage_error(const char *message)
{
    host_error("run: %s", message);
    return HOST_EXIT_USAGE;
}

static void print_help(void)
{
    printf("usage: otau-host run --agent <agent.wasm> --flash <image> [options]\n"
           "  Murano: --murano <url> --identity <id> [--cik-file <file>]\n"
           "  Kaa:    --cloud kaa --kaa-mqtt mqtt[s]://host:port --kaa-app <app> --kaa-token <token>\n"
           "          [--mqtt-ca <ca.pem>] [--mqtt-username <name> --mqtt-password <text>]\n\n");
    host_options_print_usage(stdout, RUN_OPTION_GROUPS);
}

/* Checks what the options cannot check alone; fills the settings the agent is configured with. */
static int check_options(struct run_state *run, const struct host_options *options, uint32_t *cloud)
{
    const struct run_options *run_options = &options->run;
    char error[256];
    if (options->positional_count != 0) {
        snprintf(error, sizeof error, "unexpected argument '%s'", options->positional[0]);
        return usage_error(error);
    }
    if (!options->flash_path)
        return usage_error("needs --flash <image>: an update must survive the reset");
    if (!run_options->cloud || strcmp(run_options->cloud, "murano") == 0) {
        *cloud = CLOUD_MURANO;
        if (!run_options->murano_url || !run_options->identity)
            return usage_error("Murano needs --murano <url> and --identity <id>");
        /* Caught here: a bad URL at run time only shows as activation retries, never an exit. */
        const char *url = run_options->murano_url;
        if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
            snprintf(error, sizeof error, "--murano must be an http:// or https:// URL, not '%s'", url);
            return usage_error(error);
        }
        if (run_options->poll_timeout_ms > MURANO_MAX_POLL_TIMEOUT_MS)
            return usage_error("--poll-timeout-ms is at most 300000 (Murano's limit)");
    } else if (strcmp(run_options->cloud, "kaa") == 0) {
        *cloud = CLOUD_KAA;
        if (!run_options->kaa_mqtt || !run_options->kaa_app || !run_options->kaa_token)
            return usage_error("Kaa needs --kaa-mqtt <url>, --kaa-app <app> and --kaa-token <token>");
    } else {
        snprintf(error, sizeof error, "--cloud takes murano or kaa, not '%s'", run_options->cloud);
        return usage_error(error);
    }
    for (int i = 0; i < run_options->setting_count; i++)
        if (!agent_setting_parse(run_options->settings[i], &run->settings[i], error, sizeof error))
            return usage_error(error);
    run->setting_count = run_options->setting_count;
    run->settings[run->setting_count++] = (struct agent_setting){OTAU_SETTING_CLOUD, *cloud};
    return HOST_EXIT_OK;
}

static bool open_cloud(struct run_state *run, uint32_t cloud, char *cik_file, char *error,
                       size_t error_size)
{
    const struct run_options *options = &run->options->run;
    if (cloud == CLOUD_KAA) {
        struct kaa_settings settings = {options->kaa_mqtt, options->kaa_app, options->kaa_token,
                                        options->mqtt_ca, options->mqtt_username,
                                        options->mqtt_password};
        return kaa_link_open(&run->cloud, &run->events, &settings, error, error_size);
    }
    struct murano_settings settings = {options->murano_url, options->identity, cik_file,
                                       options->poll_timeout_ms};
    return murano_link_open(&run->cloud, run->curl, &run->events, &settings, error, error_size);
}

/* Re-executes otau-host with the same arguments: the next start is a fresh boot. */
static int reexecute(const char *self, int argc, char **argv)
{
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (!args) {
        host_error("run: out of memory for the reset");
        return HOST_EXIT_FAILED;
    }
    args[0] = (char *)self;
    args[1] = "run";
    for (int i = 0; i < argc; i++) args[i + 2] = argv[i];
    fflush(NULL);
    execv(self, args);
    host_error("run: cannot re-execute %s for the reset", self);
    free(args);
    return HOST_EXIT_FAILED;
}

int command_run(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_help();
            return HOST_EXIT_OK;
        }
    struct host_options options;
    char error[256];
    if (!host_options_parse(&options, argc, argv, RUN_OPTION_GROUPS, error, sizeof error))
        return usage_error(error);
    static struct run_state run; /* large (the fetch's staging buffer): off the stack */
    memset(&run, 0, sizeof run);
    run.options = &options;
    uint32_t cloud = CLOUD_MURANO;
    int status = check_options(&run, &options, &cloud);
    if (status != HOST_EXIT_OK) return status;

    /* Resolved now: the reset needs it after everything else is closed. */
    char self[PATH_MAX];
    ssize_t self_len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (self_len <= 0) {
        host_error("run: cannot find this executable for the reset");
        return HOST_EXIT_FAILED;
    }
    self[self_len] = '\0';
    char cik_file[PATH_MAX];
    snprintf(cik_file, sizeof cik_file, "%s",
             options.run.cik_file ? options.run.cik_file : options.flash_path);
    if (!options.run.cik_file) strncat(cik_file, ".cik", sizeof cik_file - strlen(cik_file) - 1);

    status = device_session_open(&run.session, &options, true, stdout);
    if (status != HOST_EXIT_OK) return status;
    run_loop_attach(&run);
    if (options.run.trace_path &&
        !report_trace_open(&run.trace, options.run.trace_path, error, sizeof error)) {
        device_session_close(&run.session);
        return usage_error(error);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    run.curl = curl_loop_new();
    bool opened = run.curl && open_cloud(&run, cloud, cik_file, error, sizeof error);
    if (!opened) {
        if (run.curl) host_error("run: %s", error);
        else host_error("run: cannot set up libcurl");
        status = run.curl ? HOST_EXIT_USAGE : HOST_EXIT_FAILED;
    }
    http_fetch_init(&run.fetch, run.curl, &run.events);

    enum run_outcome outcome = RUN_FAILED;
    if (opened && linux_bootloader_run(&run.session.device) == 0 && run_loop_boot_agent(&run))
        outcome = run_loop_run(&run);
    if (opened && outcome == RUN_FAILED) {
        host_error("run: the agent cannot run (see the log above)");
        status = HOST_EXIT_FAILED;
    }

    http_fetch_close(&run.fetch);
    if (opened) run.cloud.close(run.cloud.context);
    curl_loop_free(run.curl);
    curl_global_cleanup();
    report_trace_close(&run.trace);
    device_session_close(&run.session);
    if (outcome == RUN_RESET) return reexecute(self, argc, argv);
    return status;
}
