#define _POSIX_C_SOURCE 200809L
#include "test_device.h"

#include <stdlib.h>
#include <string.h>

uint8_t *test_read_file(const char *path, uint32_t *len)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "test setup: cannot open %s\n", path);
        exit(2);
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (!bytes || size <= 0 || fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        fprintf(stderr, "test setup: cannot read %s\n", path);
        exit(2);
    }
    fclose(file);
    *len = (uint32_t)size;
    return bytes;
}

void test_device_open(struct test_device *test, const char *wasm_path,
                      const struct otau_agent_config *config)
{
    memset(test, 0, sizeof *test);
    char error[256];
    test->device.flash = file_flash_open(NULL, &file_flash_default_geometry, error, sizeof error);
    test->device.log_stream = open_memstream(&test->log_text, &test->log_len);
    test->device.log_level = OTAU_LOG_DEBUG;
    if (!test->device.flash || !test->device.log_stream) {
        fprintf(stderr, "test setup: cannot open the test device\n");
        exit(2);
    }
    linux_hal_init(&test->hal, &test->device);
    test->wasm = test_read_file(wasm_path, &test->wasm_len);
    test->agent = otau_agent_new(&test->hal, test->wasm, test->wasm_len, config);
    if (!test->agent) {
        fprintf(stderr, "test setup: out of memory\n");
        exit(2);
    }
}

const char *test_device_log(struct test_device *test)
{
    fflush(test->device.log_stream);
    return test->log_text ? test->log_text : "";
}

void test_device_close(struct test_device *test)
{
    otau_agent_free(test->agent);
    free(test->wasm);
    file_flash_close(test->device.flash);
    fclose(test->device.log_stream);
    free(test->log_text);
    memset(test, 0, sizeof *test);
}
