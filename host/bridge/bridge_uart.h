/* What a board provides to the UART bridge's C side (host/bridge): its UART, polled. */
#ifndef BRIDGE_UART_H
#define BRIDGE_UART_H

#include <stdbool.h>
#include <stdint.h>

/* Sends one byte, waiting while the transmitter is full. */
void uart_put(uint8_t byte);
/* A received byte into *byte: true, or false at once when none is waiting. */
bool uart_get(uint8_t *byte);

#endif
