/* Starting the agent: a module that traps in _start, lacks an import, is no module, or does not
 * fit the limits is refused with a reason, never a crash. (Traps in calls: test_agent_traps.c.) */
#include <stdlib.h>

#include "check.h"
#include "test_device.h"

static const char *modules_dir;
static const char *agent_path;

static const char *module_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", modules_dir, name);
    return path;
}

static void a_trap_in_start_fails_the_start_every_time(void)
{
    struct test_device test;
    test_device_open(&test, module_path("start_traps.wasm"), NULL);
    for (int round = 0; round < 2; round++) {
        CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_TRAPPED);
        CHECK_CONTAINS(otau_agent_error(test.agent), "agent trapped in _start");
    }
    CHECK_INT(otau_agent_boot(test.agent, NULL), OTAU_AGENT_NOT_RUNNING);
    test_device_close(&test);
}

static void an_import_the_host_lacks_is_named_when_starting(void)
{
    struct test_device test;
    test_device_open(&test, module_path("unknown_import.wasm"), NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_LOAD_FAILED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "imports env.teleport, which this host does not provide");
    test_device_close(&test);
}

static void an_import_with_the_wrong_signature_is_refused(void)
{
    struct test_device test;
    test_device_open(&test, module_path("wrong_import_signature.wasm"), NULL);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_LOAD_FAILED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "cannot link import env.log as v(iii)");
    test_device_close(&test);
}

static void bytes_that_are_not_a_module_are_refused(void)
{
    static const uint8_t not_wasm[] = "this is not a wasm module";
    struct otau_hal hal = {0};
    otau_agent *agent = otau_agent_new(&hal, not_wasm, sizeof not_wasm, NULL);
    CHECK_INT(otau_agent_start(agent), OTAU_AGENT_LOAD_FAILED);
    CHECK_CONTAINS(otau_agent_error(agent), "the agent module is not valid");
    otau_agent_free(agent);
}

static void a_memory_limit_below_the_agents_data_is_refused(void)
{
    struct test_device test;
    struct otau_agent_config config = {.memory_limit = 1024};
    test_device_open(&test, agent_path, &config);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_LOAD_FAILED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "1024-byte memory limit");
    test_device_close(&test);
}

static void a_stack_below_the_minimum_is_refused(void)
{
    struct test_device test;
    struct otau_agent_config config = {.stack_size = 512};
    test_device_open(&test, agent_path, &config);
    CHECK_INT(otau_agent_start(test.agent), OTAU_AGENT_BAD_ARGUMENT);
    CHECK_CONTAINS(otau_agent_error(test.agent), "stack size 512 is below the minimum");
    test_device_close(&test);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_agent_lifecycle <test modules dir> <agent.wasm>\n");
        return 2;
    }
    modules_dir = argv[1];
    agent_path = argv[2];
    RUN_TEST(a_trap_in_start_fails_the_start_every_time);
    RUN_TEST(an_import_the_host_lacks_is_named_when_starting);
    RUN_TEST(an_import_with_the_wrong_signature_is_refused);
    RUN_TEST(bytes_that_are_not_a_module_are_refused);
    RUN_TEST(a_memory_limit_below_the_agents_data_is_refused);
    RUN_TEST(a_stack_below_the_minimum_is_refused);
    return check_exit_status();
}
