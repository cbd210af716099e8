#include "cpu.h"

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_VECTKEY_SYSRESETREQ 0x05FA0004u
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTCLR (1u << 25)
#define NVIC_ICER ((volatile uint32_t *)0xE000E180u)
#define NVIC_ICPR ((volatile uint32_t *)0xE000E280u)
#define NVIC_WORDS 8

void cpu_system_reset(void)
{
    __asm__ volatile("dsb" ::: "memory");
    SCB_AIRCR = AIRCR_VECTKEY_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}

void cpu_hand_over(uint32_t vector_table)
{
    const volatile uint32_t *vectors = (const volatile uint32_t *)vector_table;
    __asm__ volatile("cpsid i" ::: "memory");
    SYST_CSR = 0;
    SCB_ICSR = ICSR_PENDSTCLR;
    for (int i = 0; i < NVIC_WORDS; i++) {
        NVIC_ICER[i] = 0xFFFFFFFFu;
        NVIC_ICPR[i] = 0xFFFFFFFFu;
    }
    SCB_VTOR = vector_table;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    uint32_t stack = vectors[0];
    uint32_t entry = vectors[1];
    __asm__ volatile("msr msp, %0\n\tbx %1" : : "r"(stack), "r"(entry) : "memory");
    __builtin_unreachable();
}

uint32_t cpu_vector_table(void)
{
    return SCB_VTOR;
}

void cpu_set_vector_table(uint32_t vector_table)
{
    SCB_VTOR = vector_table;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}
