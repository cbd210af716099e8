/*
 * Start-up of the MPS2 AN386 board: vector table, reset handler, and SysTick as the board's
 * clock and instruction counter. Heap and stack bounds: host/cortexm/cortexm_runtime.c.
 */
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "cortexm_runtime.h"
#include "semihost.h"

extern int main(void);
extern uint32_t __stack_top[];

/* ---- SysTick, counting down from 2^24 - 1 at the 25 MHz CPU clock; wraps are counted in
 * the interrupt. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CPUCLK 0x7u
#define SYST_PERIOD (1u << 24)

static volatile uint32_t systick_wraps;

static void systick_handler(void)
{
    systick_wraps++;
}

uint64_t board_ticks(void)
{
    uint32_t wraps, value;
    do {
        wraps = systick_wraps;
        value = SYST_CVR;
    } while (wraps != systick_wraps);
    return (uint64_t)wraps * SYST_PERIOD + (SYST_PERIOD - 1u - value);
}

static void systick_start(void)
{
    SYST_RVR = SYST_PERIOD - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE_TICKINT_CPUCLK;
}

/* ---- Reset and faults. QEMU's exit status is the firmware's (board.h). */
static void fault_handler(void)
{
    semihost_exit(BOARD_EXIT_FAULT);
}

/* wasm3 calls abort() on an internal error; newlib's would pull in signals and stdio. */
void abort(void)
{
    semihost_exit(BOARD_EXIT_FAULT);
}

void reset_handler(void)
{
    cortexm_runtime_init();
    systick_start();
    semihost_exit(main());
}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vector_table[16] = {
    (vector)__stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};
