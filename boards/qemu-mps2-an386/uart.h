/* CMSDK APB UART0 at 0x40004000, polled: the board's line to the bridge (QEMU connects it to
 * a TCP socket, `-serial tcp:...`). One byte of receive buffer: what the firmware does not
 * read waits in QEMU and then in the socket, so a busy firmware throttles the sender. */
#ifndef UART_H
#define UART_H

#include <stdbool.h>
#include <stdint.h>

void uart_init(void);
/* Waits while the transmitter is full. */
void uart_put(uint8_t byte);
/* A received byte into *byte: true, or false at once when none is waiting. */
bool uart_get(uint8_t *byte);

#endif
