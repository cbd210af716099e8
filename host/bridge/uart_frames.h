/*
 * Frames on the UART between the firmware and its bridge (docs/uart-bridge.md): each frame is
 * 0x7E, then the escaped bytes of [type][body][CRC-32 of type and body, little-endian], then
 * 0x7E. Inside, 0x7E and 0x7D are sent as 0x7D followed by the byte XOR 0x20, so 0x7E only
 * ever delimits: after a reset, or bytes lost mid-frame, the reader is back in step at the next
 * 0x7E, and the CRC drops what was damaged.
 */
#ifndef UART_FRAMES_H
#define UART_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

/* Type, a header of at most 12 bytes, a 4096-byte I/O buffer of payload, the CRC. */
#define FRAME_MAX (1u + 12u + 4096u + 4u)

struct frame_reader {
    uint8_t bytes[FRAME_MAX]; /* bytes[0] is the type, then the body */
    uint32_t len;
    bool escaped;
    bool overlong; /* dropped until the next delimiter */
};

void frame_reader_init(struct frame_reader *reader);
/* Takes one received byte. True when it completed a frame whose CRC holds: its type is
 * bytes[0] and its body the next len - 1 bytes (valid until the next call). */
bool frame_reader_push(struct frame_reader *reader, uint8_t byte);

/* Sends one frame: `type`, then `head` and `body` as one body (either may be empty). */
void frame_send(uint8_t type, const uint8_t *head, uint32_t head_len, const uint8_t *body, uint32_t body_len);

#endif
