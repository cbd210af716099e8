/*
 * Start-up of the application, which runs in place from the slot it was linked for: its own
 * vector table (VTOR), the C run-time, SysTick, then interrupts unmasked (the bootloader hands
 * over with them masked). A fault, or wasm3's abort(), resets the machine: the bootloader then
 * decides again (a trial image's attempts count down). The watchdog's first expiry (the NMI)
 * waits for its second, which resets.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "app_startup.h"
#include "board_clock.h"
#include "cortexm_runtime.h"
#include "cpu.h"
#include "semihost.h"
#include "uart.h"
#include "watchdog.h"

extern int main(void);
extern uint32_t __stack_top[];

#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)

static void fault_handler(void)
{
    console_printf("app: fault (CFSR 0x%08lx); resetting\n", (unsigned long)SCB_CFSR);
    cpu_system_reset();
}

/* True while the main loop sleeps in app_sleep(). */
static volatile bool sleeping;

void app_sleep(void)
{
    sleeping = true;
    __asm__ volatile("wfi");
    sleeping = false;
}

/* The watchdog's first expiry. While the CPU sleeps, QEMU's clock follows the host's, so a host
 * too busy to run QEMU for a while can expire it although the application is fine: then the
 * main loop was asleep, and the watchdog is fed. Anywhere else the application has stopped
 * kicking it: the second expiry resets the machine. */
static void watchdog_expired(void)
{
    if (sleeping) {
        watchdog_kick();
        return;
    }
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

/* The 16 system vectors, then IRQ 0: UART0 receive (QEMU's mps2 wiring), which wakes the main
 * loop from wfi. */
__attribute__((section(".vectors"), used)) static const vector app_vectors[17] = {
    (vector)__stack_top, reset_handler, watchdog_expired, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler, uart_rx_interrupt,
};

/* The linker scripts' entry point; the bootloader branches here through the vector table. */
void reset_handler(void)
{
    cpu_set_vector_table((uint32_t)app_vectors);
    cortexm_runtime_init();
    systick_start(BOARD_TICKS_PER_MS);
    __asm__ volatile("cpsie i" ::: "memory");
    main();
    cpu_system_reset();
}
