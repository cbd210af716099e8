/* Trapping and restarting the agent (tests/host/trap_probe.wat): a trap is reported and logged,
 * never a crash, calls are refused until a restart, and a restart gives a fresh instance. The
 * same program runs under wasm3 and with the probe translated ahead of time (OTAU_RUNTIME=aot). */
#include <stdlib.h>

#include "check.h"
#include "test_device.h"

static const char *probe_path;

static int32_t count_calls(struct test_device *test, int *status)
{
    int32_t result = -1;
    *status = otau_agent_call(test->agent, "count_calls", 0, NULL, &result);
    return result;
}

static void fatal_is_reported_with_the_agents_message_and_logged(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "abort_with_fatal", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    const char *error = otau_agent_error(test.agent);
    CHECK_CONTAINS(error, "agent fatal in abort_with_fatal: assertion failed in probe.ts");
    CHECK_CONTAINS(error, "line 12, column 7");
    CHECK_CONTAINS(test_device_log(&test), "[error] agent fatal in abort_with_fatal: assertion failed in probe.ts");
    test_device_close(&test);
}

static void after_a_trap_calls_are_refused_until_a_restart(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "abort_with_fatal", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    int status;
    count_calls(&test, &status);
    CHECK_INT(status, OTAU_AGENT_NOT_RUNNING);
    CHECK(otau_agent_io_buffer(test.agent, NULL) == NULL);
    test_device_close(&test);
}

static void a_restart_after_fatal_runs_a_fresh_instance(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    int status;
    count_calls(&test, &status);
    CHECK_INT(count_calls(&test, &status), 2);
    CHECK_INT(otau_agent_call(test.agent, "abort_with_fatal", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    for (int round = 0; round < 3; round++) {
        CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
        CHECK_INT(count_calls(&test, &status), 1);
        CHECK_INT(status, OTAU_AGENT_OK);
        CHECK_INT(otau_agent_call(test.agent, "execute_unreachable", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    }
    test_device_close(&test);
}

static void unreachable_is_reported_as_a_trap(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "execute_unreachable", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "agent trapped in execute_unreachable: [trap] unreachable executed");
    CHECK_CONTAINS(test_device_log(&test), "[error] agent trapped in execute_unreachable");
    test_device_close(&test);
}

static void endless_recursion_traps_on_the_stack_limit(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "recurse_forever", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "stack overflow");
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    test_device_close(&test);
}

static void a_load_past_the_memory_limit_traps(void)
{
    struct test_device test;
    struct otau_agent_config config = {.memory_limit = 32 * 1024};
    test_device_open(&test, probe_path, &config);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "load_past_memory_limit", 0, NULL, NULL), OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "out of bounds memory access");
    test_device_close(&test);
}

static void fatal_with_a_message_past_memory_is_refused_by_the_pointer_check(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_call(test.agent, "fatal_with_pointer_past_memory", 0, NULL, NULL),
              OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "out of bounds memory access");
    test_device_close(&test);
}

static void calling_a_missing_export_is_refused(void)
{
    struct test_device test;
    test_device_open(&test, probe_path, NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_boot(test.agent, NULL), OTAU_AGENT_NO_SUCH_EXPORT);
    CHECK_CONTAINS(otau_agent_error(test.agent), "no export boot");
    CHECK_INT(otau_agent_call(test.agent, "count_calls", 1, (uint32_t[]){1}, NULL), OTAU_AGENT_NO_SUCH_EXPORT);
    int status;
    CHECK_INT(count_calls(&test, &status), 1); /* the refusals did not stop the instance */
    test_device_close(&test);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_agent_traps <trap_probe.wasm>\n");
        return 2;
    }
    probe_path = argv[1];
    RUN_TEST(fatal_is_reported_with_the_agents_message_and_logged);
    RUN_TEST(after_a_trap_calls_are_refused_until_a_restart);
    RUN_TEST(a_restart_after_fatal_runs_a_fresh_instance);
    RUN_TEST(unreachable_is_reported_as_a_trap);
    RUN_TEST(endless_recursion_traps_on_the_stack_limit);
    RUN_TEST(a_load_past_the_memory_limit_traps);
    RUN_TEST(fatal_with_a_message_past_memory_is_refused_by_the_pointer_check);
    RUN_TEST(calling_a_missing_export_is_refused);
    return check_exit_status();
}
