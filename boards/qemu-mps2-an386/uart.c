#include "uart.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_INTCLEAR (*(volatile uint32_t *)(UART0_BASE + 0x0Cu))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_RX_ENABLE 0x3u
#define CTRL_RX_INTERRUPT 0x8u
#define INT_RX 0x2u
#define UART0_RX_IRQ 0u
/* 25 MHz / 217 = 115200 baud on hardware; QEMU ignores the rate but refuses divisors below 16. */
#define BAUD_DIVISOR 217u

void uart_init(void)
{
    UART_BAUDDIV = BAUD_DIVISOR;
    UART_CTRL = CTRL_TX_RX_ENABLE | CTRL_RX_INTERRUPT;
    NVIC_ISER0 = 1u << UART0_RX_IRQ;
}

void uart_rx_interrupt(void)
{
    UART_INTCLEAR = INT_RX;
}

bool uart_has_byte(void)
{
    return (UART_STATE & STATE_RX_FULL) != 0;
}

void uart_put(uint8_t byte)
{
    while (UART_STATE & STATE_TX_FULL) {
    }
    UART_DATA = byte;
}

bool uart_get(uint8_t *byte)
{
    if (!(UART_STATE & STATE_RX_FULL)) return false;
    *byte = (uint8_t)UART_DATA;
    return true;
}
