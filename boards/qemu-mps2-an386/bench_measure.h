/*
 * The bring-up's instrumentation: "measure <name> <value>" console lines that bringup.sh
 * collects into its report. Instruction counts come from SysTick under `qemu -icount
 * shift=0` (board.h).
 */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "otau_agent.h"

/* Heap and stack bounds and high-water marks, named `<when>_...`. */
void bench_print_ram(const char *when);
/* Instructions per byte of SHA-256 over `total` pattern bytes: the agent's (wasm3) and the
 * bootloader's C, the same bytes in the same chunks. */
void bench_hashing(otau_agent *agent, uint32_t total);
/* Instructions of one Ed25519 verification through the agent's ed25519_verify (RFC 8032 TEST
 * SHA(abc), which must verify): in AssemblyScript, or the native verifier where the build
 * answers the agent's ed25519_native import (NATIVE_ED25519). False when it does not verify. */
bool bench_ed25519(otau_agent *agent);
/* The native reference of an update's transfer: copy `size` bytes out of `slot` in I/O-buffer
 * chunks and hash them with the bootloader's C SHA-256. */
void bench_native_hash_and_copy(const uint8_t *slot, uint32_t size);

#endif
