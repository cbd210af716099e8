/*
 * Start-up of the images that run from 0x0 (the bring-up firmware and the bootloader): vector
 * table, reset handler; a fault or the image's return ends QEMU with its status (board.h).
 * The application's start-up is app_startup.c. Heap and stack bounds:
 * host/cortexm/cortexm_runtime.c.
 */
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "board_clock.h"
#include "cortexm_runtime.h"
#include "semihost.h"

extern int main(void);
extern uint32_t __stack_top[];

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
    systick_start(SYSTICK_LONGEST);
    semihost_exit(main());
}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vector_table[16] = {
    (vector)__stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};
