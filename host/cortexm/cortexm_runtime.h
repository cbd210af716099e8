/*
 * What every Cortex-M board needs before and around main(), whatever the chip: the C
 * run-time set-up at reset, a heap that malloc grows only up to the linker script's bound,
 * and a painted stack whose high-water mark can be read back. A board's linker script
 * defines the symbols below; its reset handler calls cortexm_runtime_init() first.
 *
 *   __data_start, __data_end, __data_load   initialised data (RAM) and its image (flash)
 *   __bss_start, __bss_end                  zeroed data
 *   __heap_start, __heap_end                malloc's bound (_sbrk refuses beyond it)
 *   __stack_bottom, __stack_top             the main stack
 */
#ifndef CORTEXM_RUNTIME_H
#define CORTEXM_RUNTIME_H

#include <stdint.h>

/* Copies .data, zeroes .bss and paints the unused stack. Call from the reset handler. */
void cortexm_runtime_init(void);

/* Bytes of heap handed out so far (newlib never returns memory to _sbrk: also the high mark). */
uint32_t cortexm_heap_high_water(void);
uint32_t cortexm_heap_size(void);
/* Deepest stack use since reset, in bytes. */
uint32_t cortexm_stack_high_water(void);
uint32_t cortexm_stack_size(void);

#endif
