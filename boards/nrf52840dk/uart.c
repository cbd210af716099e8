/* nRF52840 Product Specification v1.7, section 6.33 (UART). */
#include "uart.h"

#define UART0_BASE 0x40002000u
#define REG(offset) (*(volatile uint32_t *)(UART0_BASE + (offset)))
#define TASKS_STARTRX REG(0x000u)
#define TASKS_STARTTX REG(0x008u)
#define EVENTS_RXDRDY REG(0x108u)
#define EVENTS_TXDRDY REG(0x11Cu)
#define ENABLE REG(0x500u)
#define PSEL_RTS REG(0x508u)
#define PSEL_TXD REG(0x50Cu)
#define PSEL_CTS REG(0x510u)
#define PSEL_RXD REG(0x514u)
#define RXD REG(0x518u)
#define TXD REG(0x51Cu)
#define BAUDRATE REG(0x524u)
#define CONFIG REG(0x56Cu)

#define ENABLE_UART 4u
#define BAUDRATE_115200 0x01D7E000u
#define CONFIG_HWFC 1u
/* The DK's interface-MCU wiring (port 0). */
#define PIN_RTS 5u
#define PIN_TXD 6u
#define PIN_CTS 7u
#define PIN_RXD 8u

void uart_init(void)
{
    PSEL_RTS = PIN_RTS;
    PSEL_TXD = PIN_TXD;
    PSEL_CTS = PIN_CTS;
    PSEL_RXD = PIN_RXD;
    BAUDRATE = BAUDRATE_115200;
    CONFIG = CONFIG_HWFC;
    ENABLE = ENABLE_UART;
    EVENTS_RXDRDY = 0;
    EVENTS_TXDRDY = 0;
    TASKS_STARTRX = 1;
    TASKS_STARTTX = 1;
}

void uart_put(uint8_t byte)
{
    EVENTS_TXDRDY = 0;
    TXD = byte;
    while (!EVENTS_TXDRDY) {
    }
}

bool uart_get(uint8_t *byte)
{
    if (!EVENTS_RXDRDY) return false;
    /* Cleared before RXD is read: a byte still in the FIFO raises the event again. */
    EVENTS_RXDRDY = 0;
    *byte = (uint8_t)RXD;
    return true;
}
