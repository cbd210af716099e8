/* The bootloader's step on Linux: before the agent starts, host/boot's C boot decision runs
 * over the flash file and writes the record update it calls for (a trial boot used, a failed
 * trial rolled back), as a board's bootloader would before jumping to the image. On Linux the
 * slot is not executed: otau-host itself is the running firmware, so the chosen slot is only
 * logged, and the agent then reads the record that the decision left. */
#ifndef OTAU_LINUX_BOOTLOADER_H
#define OTAU_LINUX_BOOTLOADER_H

#include "linux_hal.h"

/* Returns 0, or the negative boot_status that kept the decision from running or writing. */
int linux_bootloader_run(struct linux_device *device);

#endif /* OTAU_LINUX_BOOTLOADER_H */
