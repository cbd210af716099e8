/* The host's imports: every guest pointer is checked against the memory wasm3 really allocated
 * (the memory limit), and flash calls reach the HAL with the ABI's results. */
#include <stdlib.h>

#include "check.h"
#include "test_device.h"

static const char *probe_path;

#define MEMORY_LIMIT (32u * 1024u)

static int32_t call(struct test_device *test, const char *name, uint32_t argc, const uint32_t *args,
                    int *status)
{
    int32_t result = -999;
    *status = otau_agent_call(test->agent, name, argc, args, &result);
    return result;
}

static void open_probe(struct test_device *test)
{
    struct otau_agent_config config = {.memory_limit = MEMORY_LIMIT};
    test_device_open(test, probe_path, &config);
    CHECK_INT(otau_agent_start(test->agent), OTAU_AGENT_OK);
}

static void log_with_a_valid_pointer_reaches_the_hal_log(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    call(&test, "call_log", 2, (uint32_t[]){16, 16}, &status);
    CHECK_INT(status, OTAU_AGENT_OK);
    CHECK_CONTAINS(test_device_log(&test), "[info] probe says hello\n");
    test_device_close(&test);
}

static void log_reaching_past_the_memory_limit_traps_instead_of_logging(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    call(&test, "call_log", 2, (uint32_t[]){MEMORY_LIMIT - 8, 16}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "out of bounds memory access");
    CHECK(strstr(test_device_log(&test), "[info]") == NULL);
    test_device_close(&test);
}

static void a_pointer_inside_the_page_but_past_the_limit_is_refused(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    /* The module sees a 64 KiB page; the host allocated only MEMORY_LIMIT bytes of it. */
    call(&test, "call_log", 2, (uint32_t[]){40000, 1}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    test_device_close(&test);
}

static void flash_write_whose_pointer_plus_length_wraps_is_refused(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    call(&test, "call_flash_write", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 0xFFFFFFF0u, 32}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    uint8_t back[32];
    CHECK_INT(file_flash_read(test.device.flash, OTAU_AREA_SLOT_A, 0, back, 32), OTAU_FLASH_OK);
    for (int i = 0; i < 32; i++) CHECK_INT(back[i], 0xFF);
    test_device_close(&test);
}

static void flash_read_into_memory_past_the_limit_is_refused(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    call(&test, "call_flash_read", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 0, MEMORY_LIMIT - 4, 8},
         &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    CHECK_CONTAINS(otau_agent_error(test.agent), "call_flash_read");
    test_device_close(&test);
}

static void flash_info_with_an_output_past_the_limit_is_refused(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    call(&test, "call_flash_info", 2, (uint32_t[]){OTAU_AREA_SLOT_A, MEMORY_LIMIT - 8}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    test_device_close(&test);
}

static void flash_info_writes_the_geometry_as_four_little_endian_words(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    CHECK_INT(call(&test, "call_flash_info", 2, (uint32_t[]){OTAU_AREA_SLOT_B, 128}, &status), 0);
    CHECK_INT(status, OTAU_AGENT_OK);
    CHECK_INT(call(&test, "load_u32", 1, (uint32_t[]){128}, &status), 256 * 1024);
    CHECK_INT(call(&test, "load_u32", 1, (uint32_t[]){132}, &status), 4096);
    CHECK_INT(call(&test, "load_u32", 1, (uint32_t[]){136}, &status), 4);
    CHECK_INT(call(&test, "load_u32", 1, (uint32_t[]){140}, &status), 0xFF);
    CHECK_INT(call(&test, "call_flash_info", 2, (uint32_t[]){3, 128}, &status), OTAU_FLASH_NO_SUCH_AREA);
    test_device_close(&test);
}

static void flash_write_and_read_move_bytes_between_memory_and_flash(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    CHECK_INT(call(&test, "call_flash_write", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 4096, 64, 8}, &status),
              OTAU_FLASH_OK);
    uint8_t back[8];
    CHECK_INT(file_flash_read(test.device.flash, OTAU_AREA_SLOT_A, 4096, back, 8), OTAU_FLASH_OK);
    CHECK_INT(back[0], 0xDE);
    CHECK_INT(back[7], 0x04);
    CHECK_INT(call(&test, "call_flash_read", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 4096, 256, 8}, &status),
              OTAU_FLASH_OK);
    CHECK_INT((uint32_t)call(&test, "load_u32", 1, (uint32_t[]){256}, &status), 0xEFBEADDEu);
    CHECK_INT(call(&test, "load_u32", 1, (uint32_t[]){260}, &status), 0x04030201);
    test_device_close(&test);
}

static void flash_refusals_reach_the_agent_as_abi_codes(void)
{
    uint32_t boot_record_size = file_flash_default_geometry.area_size[OTAU_AREA_BOOT_RECORD];
    struct test_device test;
    open_probe(&test);
    int status;
    CHECK_INT(call(&test, "call_flash_write", 4, (uint32_t[]){9, 0, 64, 8}, &status),
              OTAU_FLASH_NO_SUCH_AREA);
    CHECK_INT(call(&test, "call_flash_read", 4, (uint32_t[]){OTAU_AREA_BOOT_RECORD, boot_record_size, 256, 1}, &status),
              OTAU_FLASH_OUT_OF_RANGE);
    CHECK_INT(call(&test, "call_flash_erase", 3, (uint32_t[]){OTAU_AREA_SLOT_A, 1, 4096}, &status),
              OTAU_FLASH_MISALIGNED);
    CHECK_INT(call(&test, "call_flash_write", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 64, 8}, &status),
              OTAU_FLASH_OK);
    CHECK_INT(call(&test, "call_flash_write", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 64, 8}, &status),
              OTAU_FLASH_NOT_ERASED);
    CHECK_INT(call(&test, "call_flash_erase", 3, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 4096}, &status),
              OTAU_FLASH_OK);
    CHECK_INT(call(&test, "call_flash_write", 4, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 64, 8}, &status),
              OTAU_FLASH_OK);
    CHECK_INT(status, OTAU_AGENT_OK);
    test_device_close(&test);
}

static void a_device_without_flash_reports_no_such_area(void)
{
    struct test_device test;
    open_probe(&test);
    file_flash_close(test.device.flash);
    test.device.flash = NULL;
    int status;
    CHECK_INT(call(&test, "call_flash_info", 2, (uint32_t[]){OTAU_AREA_SLOT_A, 128}, &status),
              OTAU_FLASH_NO_SUCH_AREA);
    CHECK_INT(call(&test, "call_flash_erase", 3, (uint32_t[]){OTAU_AREA_SLOT_A, 0, 4096}, &status),
              OTAU_FLASH_NO_SUCH_AREA);
    test_device_close(&test);
}

/* What the test transport saw of the last publish. */
static uint32_t published_channel;
static char published[64];

static int32_t record_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    (void)context;
    published_channel = channel;
    snprintf(published, sizeof published, "%.*s", (int)len, (const char *)document);
    return 0;
}

static void report_hands_the_document_to_the_transport(void)
{
    struct test_device test;
    open_probe(&test);
    test.hal.publish = record_publish;
    published[0] = '\0';
    int status;
    call(&test, "call_report", 3, (uint32_t[]){7, 16, 10}, &status);
    CHECK_INT(status, OTAU_AGENT_OK);
    CHECK_INT(published_channel, 7);
    CHECK_CONTAINS(published, "probe says");
    test_device_close(&test);
}

static int32_t refuse_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    (void)context;
    (void)channel;
    (void)document;
    (void)len;
    return -7;
}

static void a_report_the_transport_refuses_is_logged_with_its_code(void)
{
    struct test_device test;
    open_probe(&test);
    test.hal.publish = refuse_publish;
    int status;
    call(&test, "call_report", 3, (uint32_t[]){2, 16, 10}, &status);
    CHECK_INT(status, OTAU_AGENT_OK);
    CHECK_CONTAINS(test_device_log(&test), "report on channel 2 not published (code -7)");
    test_device_close(&test);
}

static void report_reaching_past_the_memory_limit_traps_before_publishing(void)
{
    struct test_device test;
    open_probe(&test);
    test.hal.publish = record_publish;
    published[0] = '\0';
    int status;
    call(&test, "call_report", 3, (uint32_t[]){1, MEMORY_LIMIT - 4, 8}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    CHECK_INT(strlen(published), 0);
    test_device_close(&test);
}

static void fetch_without_a_transport_is_refused_and_a_bad_url_pointer_traps(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    CHECK(call(&test, "call_fetch", 3, (uint32_t[]){16, 10, 0}, &status) < 0);
    CHECK_INT(status, OTAU_AGENT_OK);
    call(&test, "call_fetch", 3, (uint32_t[]){MEMORY_LIMIT, 1, 0}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED);
    test_device_close(&test);
}

static void reset_asks_the_linux_device_to_restart(void)
{
    struct test_device test;
    open_probe(&test);
    CHECK(!test.device.reset_requested);
    CHECK_INT(otau_agent_call(test.agent, "call_reset", 0, NULL, NULL), OTAU_AGENT_OK);
    CHECK(test.device.reset_requested);
    test_device_close(&test);
}

/* The default build has no native verifier: it answers "not provided" once the pointers pass. */
static void ed25519_native_checks_its_pointers_then_answers_not_provided(void)
{
    struct test_device test;
    open_probe(&test);
    int status;
    CHECK_INT(call(&test, "call_ed25519_native", 4, (uint32_t[]){256, 320, 16, 16}, &status), OTAU_ED25519_NOT_PROVIDED);
    CHECK_INT(status, OTAU_AGENT_OK);
    call(&test, "call_ed25519_native", 4, (uint32_t[]){MEMORY_LIMIT - 32, 320, 16, 16}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED); /* the 64-byte signature runs past the limit */
    test_device_close(&test);
    open_probe(&test);
    call(&test, "call_ed25519_native", 4, (uint32_t[]){256, 320, MEMORY_LIMIT - 8, 16}, &status);
    CHECK_INT(status, OTAU_AGENT_TRAPPED); /* so does the message */
    test_device_close(&test);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_agent_imports <import_probe.wasm>\n");
        return 2;
    }
    probe_path = argv[1];
    RUN_TEST(log_with_a_valid_pointer_reaches_the_hal_log);
    RUN_TEST(log_reaching_past_the_memory_limit_traps_instead_of_logging);
    RUN_TEST(a_pointer_inside_the_page_but_past_the_limit_is_refused);
    RUN_TEST(flash_write_whose_pointer_plus_length_wraps_is_refused);
    RUN_TEST(flash_read_into_memory_past_the_limit_is_refused);
    RUN_TEST(flash_info_with_an_output_past_the_limit_is_refused);
    RUN_TEST(flash_info_writes_the_geometry_as_four_little_endian_words);
    RUN_TEST(flash_write_and_read_move_bytes_between_memory_and_flash);
    RUN_TEST(flash_refusals_reach_the_agent_as_abi_codes);
    RUN_TEST(a_device_without_flash_reports_no_such_area);
    RUN_TEST(report_hands_the_document_to_the_transport);
    RUN_TEST(a_report_the_transport_refuses_is_logged_with_its_code);
    RUN_TEST(report_reaching_past_the_memory_limit_traps_before_publishing);
    RUN_TEST(fetch_without_a_transport_is_refused_and_a_bad_url_pointer_traps);
    RUN_TEST(reset_asks_the_linux_device_to_restart);
    RUN_TEST(ed25519_native_checks_its_pointers_then_answers_not_provided);
    return check_exit_status();
}
