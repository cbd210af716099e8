/*
 * Start-up of the nRF52840: vector table (the core's exceptions; no peripheral interrupt is
 * enabled), reset handler with the FPU switched on (the build uses the hard-float ABI), a
 * 1 ms SysTick clock from the 64 MHz CPU clock, and the system reset.
 */
#include <stdint.h>

#include "board.h"
#include "cortexm_runtime.h"

extern int main(void);
extern uint32_t __stack_top[];

#define CPACR (*(volatile uint32_t *)0xE000ED88u)
#define CPACR_CP10_CP11_FULL (0xFu << 20)
#define AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_SYSRESETREQ (0x05FAu << 16 | 1u << 2)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CPUCLK 0x7u
#define CPU_HZ 64000000u

static volatile uint64_t milliseconds;

static void systick_handler(void)
{
    milliseconds++;
}

uint64_t board_clock_ms(void)
{
    uint64_t now, again;
    do { /* a 64-bit read is two loads: retry if the interrupt came between them */
        now = milliseconds;
        again = milliseconds;
    } while (now != again);
    return now;
}

void board_reset(void)
{
    __asm__ volatile("dsb" ::: "memory");
    AIRCR = AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}

void board_wait_for_interrupt(void)
{
    __asm__ volatile("wfi");
}

static void fault_handler(void)
{
    board_reset();
}

void reset_handler(void)
{
    CPACR |= CPACR_CP10_CP11_FULL;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    cortexm_runtime_init();
    SYST_RVR = CPU_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE_TICKINT_CPUCLK;
    main();
    board_reset();
}

void _init(void) {}
void _fini(void) {}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vector_table[16] = {
    (vector)__stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};
