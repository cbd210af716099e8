/*
 * Start-up of the application, which runs in place from the slot it was linked for: its own
 * vector table (VTOR), the C run-time, SysTick, then interrupts unmasked (the bootloader hands
 * over with them masked). A fault, or wasm3's abort(), resets the machine: the bootloader then
 * decides again (a trial image's attempts count down). The watchdog's first expiry (the NMI)
 * waits for its second, which resets.
 */
#include <stdint.h>
#include <stdlib.h>

#include "board_clock.h"
#include "cortexm_runtime.h"
#include "cpu.h"
#include "semihost.h"

extern int main(void);
extern uint32_t __stack_top[];

#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)

static void fault_handler(void)
{
    console_printf("app: fault (CFSR 0x%08lx); resetting\n", (unsigned long)SCB_CFSR);
    cpu_system_reset();
}

static void watchdog_expired(void)
{
    console_printf("app: watchdog expired; waiting for its reset\n");
    for (;;) __asm__ volatile("wfi"); /* asleep until that reset: nothing preempts the NMI */
}

void abort(void)
{
    console_printf("app: abort; resetting\n");
    cpu_system_reset();
}

typedef void (*vector)(void);
void reset_handler(void);

__attribute__((section(".vectors"), used)) static const vector app_vectors[16] = {
    (vector)__stack_top, reset_handler, watchdog_expired, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};

/* The linker scripts' entry point; the bootloader branches here through the vector table. */
void reset_handler(void)
{
    cpu_set_vector_table((uint32_t)app_vectors);
    cortexm_runtime_init();
    systick_start();
    __asm__ volatile("cpsie i" ::: "memory");
    main();
    cpu_system_reset();
}
