/* A Linux device for the core's tests: an in-memory flash and a log captured as text. */
#ifndef OTAU_TEST_DEVICE_H
#define OTAU_TEST_DEVICE_H

#include <stdint.h>
#include <stdio.h>

#include "linux_hal.h"
#include "otau_agent.h"

struct test_device {
    struct linux_device device;
    struct otau_hal hal;
    char *log_text; /* every log line so far, "[level] text\n" */
    size_t log_len;
    uint8_t *wasm;
    uint32_t wasm_len;
    otau_agent *agent;
};

/* Reads a whole file; exits the test program when it cannot (a broken test setup). */
uint8_t *test_read_file(const char *path, uint32_t *len);

/* Opens a device with the default flash geometry and an agent for the module at `wasm_path`,
 * not yet started. */
void test_device_open(struct test_device *test, const char *wasm_path,
                      const struct otau_agent_config *config);
/* The log so far, NUL-terminated. */
const char *test_device_log(struct test_device *test);
void test_device_close(struct test_device *test);

#endif /* OTAU_TEST_DEVICE_H */
