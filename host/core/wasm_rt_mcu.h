/*
 * A small implementation of wasm2c's runtime interface (wasm-rt.h) for microcontrollers, in
 * place of wabt's wasm-rt-impl.c (which maps memory with mmap, catches out-of-bounds accesses
 * with a signal handler and keeps a 64 KiB exception buffer). Here:
 *   - bounds are checked on every load and store (build with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0);
 *   - linear memory is a buffer the embedder provides, its size the memory limit: the module may
 *     declare a 64 KiB page, accesses past the buffer trap;
 *   - the call depth is bounded by WASM_RT_MAX_CALL_STACK_DEPTH (set at build time);
 *   - a trap unwinds with longjmp to the innermost wasm_rt_mcu_run();
 *   - one table of at most WASM_RT_MCU_TABLE_ELEMENTS entries, no exceptions, no growth of
 *     memory past the buffer.
 * Not re-entrant: one module instance runs at a time.
 */
#ifndef WASM_RT_MCU_H
#define WASM_RT_MCU_H

#include <stdint.h>

#include "wasm-rt.h"

/* The next wasm_rt_allocate_memory() takes this buffer (zeroed) as the module's memory. */
void wasm_rt_mcu_provide_memory(uint8_t *buffer, uint32_t size);

/* Runs body(argument) with traps caught: WASM_RT_TRAP_NONE, or the trap that ended it. */
wasm_rt_trap_t wasm_rt_mcu_run(void (*body)(void *argument), void *argument);

/* The trap's text, in wasm3's words so that both runtimes report a trap alike. */
const char *wasm_rt_mcu_trap_text(wasm_rt_trap_t trap);

#endif /* WASM_RT_MCU_H */
