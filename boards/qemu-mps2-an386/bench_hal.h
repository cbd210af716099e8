/*
 * The HAL of the bring-up firmware (firmware.elf): the board's flash, console and clock, the
 * semihosting transport, and a reset that only raises a flag, so that one QEMU run can play
 * several boots (mode_update.c performs the reset once the agent's call returns).
 */
#ifndef BENCH_HAL_H
#define BENCH_HAL_H

#include <stdbool.h>

#include "otau_hal.h"
#include "semihost_transport.h"

extern const struct otau_hal bench_hal;
extern struct semihost_transport bench_transport;
extern bool bench_reset_requested;

#endif
