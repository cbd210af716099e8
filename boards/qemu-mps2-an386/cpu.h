/* The Cortex-M4 system controls both images use: a whole-machine reset and the bootloader's
 * hand-over to an application. */
#ifndef CPU_H
#define CPU_H

#include <stdint.h>

/* SYSRESETREQ through AIRCR: QEMU resets the machine (RAM and the PSRAM part keep their bytes;
 * the bootloader, loaded with -kernel, is written again at 0x0). */
__attribute__((noreturn)) void cpu_system_reset(void);

/* Starts the image whose vector table is at `vector_table`: interrupts masked and SysTick
 * stopped (nothing of the bootloader may fire in the application), pending interrupts
 * cleared, VTOR set, MSP loaded from word 0, a branch to the reset vector (word 1). The
 * application unmasks interrupts once its own vector table is in place. */
__attribute__((noreturn)) void cpu_hand_over(uint32_t vector_table);

/* The address of the vector table in use (VTOR). */
uint32_t cpu_vector_table(void);
void cpu_set_vector_table(uint32_t vector_table);

#endif
