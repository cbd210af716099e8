/* CMSDK APB UART0 at 0x40004000, polled: the board's line to the bridge (QEMU connects it to
 * a TCP socket, `-serial tcp:...`). One byte of receive buffer: what the firmware does not
 * read waits in QEMU and then in the socket, so a busy firmware throttles the sender. */
#ifndef UART_H
#define UART_H

#include "bridge_uart.h" /* uart_put, uart_get */

/* Also enables the receive interrupt (IRQ 0), so that a wfi wakes when a byte arrives. */
void uart_init(void);
/* The IRQ 0 handler: acknowledges the interrupt; the byte stays for uart_get(). */
void uart_rx_interrupt(void);
/* True when a received byte is waiting. */
bool uart_has_byte(void);

#endif
