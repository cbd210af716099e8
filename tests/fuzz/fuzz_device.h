/* The fuzzed device: a RAM flash (file_flash without a file) behind a HAL that injects faults
 * and checks the agent's every flash call and report, a fetch the harness answers, and a
 * reset that the harness turns into a power cycle through the C bootloader. Any broken
 * promise ends the run through fuzz_fail(). */
#ifndef FUZZ_DEVICE_H
#define FUZZ_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "file_flash.h"
#include "otau_agent.h"

#define FUZZ_URL_MAX 160u

enum fuzz_fault_mode {
    FUZZ_FAULT_NONE,
    FUZZ_FAULT_REFUSE,    /* the part reports DeviceError and changes nothing */
    FUZZ_FAULT_POWER_CUT, /* part of the write or erase lands, then power is lost */
};

struct fuzz_device {
    struct file_flash *flash;
    struct file_flash_geometry geometry;
    struct otau_hal hal;
    /* Areas the agent must never write or erase now: the running image and, while a booted
     * trial awaits its verdict, the fallback. */
    bool protected_area[OTAU_AREA_COUNT];
    /* Fault injection: the fault hits the flash write or erase `fault_countdown` from now. */
    enum fuzz_fault_mode fault_mode;
    uint32_t fault_countdown;
    uint32_t fault_cut; /* how much of a cut write or erase lands, in 1/256 */
    bool power_lost;    /* nothing reaches flash until the harness power-cycles */
    bool fault_fired;   /* since the last INIT report: flash errors may be reported */
    /* The agent's transport requests. */
    bool fetch_active;
    uint32_t fetch_count; /* fetches started so far: tells a new fetch from the one answered */
    char fetch_url[FUZZ_URL_MAX + 1];
    uint32_t fetch_offset;
    bool reset_requested;
    int32_t apply_json_result;
};

/* The message and the state, then abort(): libFuzzer records the input as a crash. */
void fuzz_fail(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Opens the device over a new erased RAM flash of `geometry`. */
void fuzz_device_open(struct fuzz_device *device, const struct file_flash_geometry *geometry);
void fuzz_device_close(struct fuzz_device *device);

#endif
