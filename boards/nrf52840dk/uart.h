/* The nRF52840's UART0 on the DK's interface-MCU pins (P0.06 TX, P0.08 RX, P0.05 RTS, P0.07
 * CTS), which the DK exposes as a USB CDC-ACM port: the board's line to the UART bridge
 * (docs/uart-bridge.md). Polled, 115200 baud, hardware flow control: the receive FIFO holds
 * six bytes, and RTS holds the sender while the firmware is busy inside an agent call. */
#ifndef UART_H
#define UART_H

#include "bridge_uart.h" /* uart_put, uart_get */

void uart_init(void);

#endif
