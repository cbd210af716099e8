/*
 * The bring-up's instrumentation: "measure <name> <value>" console lines that bringup.sh
 * collects into its report. Instruction counts come from SysTick under `qemu -icount
 * shift=0` (board.h).
 */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdint.h>

#include "otau_agent.h"

/* Heap and stack bounds and high-water marks, named `<when>_...`. */
void bench_print_ram(const char *when);
/* Instructions per byte of SHA-256 over `total` pattern bytes: the agent's (wasm3) and the
 * bootloader's C, the same bytes in the same chunks. */
void bench_hashing(otau_agent *agent, uint32_t total);
/* The native reference of an update's transfer: copy `size` bytes out of `slot` in I/O-buffer
 * chunks and hash them with the bootloader's C SHA-256. */
void bench_native_hash_and_copy(const uint8_t *slot, uint32_t size);

#endif
