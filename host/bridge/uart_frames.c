#include "uart_frames.h"

#include "bridge_uart.h"

#define FLAG 0x7Eu
#define ESCAPE 0x7Du
#define ESCAPE_XOR 0x20u
#define CRC_BYTES 4u

/* CRC-32 (IEEE, reflected 0xEDB88320), a bit at a time: no table in flash, and the cost is
 * small beside what the agent does with each byte. */
static uint32_t crc32_update(uint32_t crc, uint8_t byte)
{
    crc ^= byte;
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    return crc;
}

void frame_reader_init(struct frame_reader *reader)
{
    reader->len = 0;
    reader->escaped = false;
    reader->overlong = false;
}

static bool frame_intact(const struct frame_reader *reader)
{
    if (reader->overlong || reader->len < 1u + CRC_BYTES) return false;
    uint32_t body = reader->len - CRC_BYTES;
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < body; i++) crc = crc32_update(crc, reader->bytes[i]);
    crc ^= 0xFFFFFFFFu;
    const uint8_t *sent = reader->bytes + body;
    return crc == ((uint32_t)sent[0] | (uint32_t)sent[1] << 8 | (uint32_t)sent[2] << 16 | (uint32_t)sent[3] << 24);
}

bool frame_reader_push(struct frame_reader *reader, uint8_t byte)
{
    if (byte == FLAG) {
        bool complete = frame_intact(reader);
        uint32_t len = reader->len;
        frame_reader_init(reader);
        if (complete) reader->len = len - CRC_BYTES;
        return complete;
    }
    if (byte == ESCAPE) {
        reader->escaped = true;
        return false;
    }
    if (reader->escaped) byte ^= ESCAPE_XOR;
    reader->escaped = false;
    if (reader->len == FRAME_MAX) reader->overlong = true;
    if (!reader->overlong) reader->bytes[reader->len++] = byte;
    return false;
}

static uint32_t send_escaped(uint32_t crc, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        uint8_t byte = bytes[i];
        crc = crc32_update(crc, byte);
        if (byte == FLAG || byte == ESCAPE) {
            uart_put(ESCAPE);
            byte ^= ESCAPE_XOR;
        }
        uart_put(byte);
    }
    return crc;
}

void frame_send(uint8_t type, const uint8_t *head, uint32_t head_len, const uint8_t *body, uint32_t body_len)
{
    uart_put(FLAG);
    uint32_t crc = send_escaped(0xFFFFFFFFu, &type, 1);
    crc = send_escaped(crc, head, head_len);
    crc = send_escaped(crc, body, body_len);
    crc ^= 0xFFFFFFFFu;
    uint8_t trailer[CRC_BYTES] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24)};
    send_escaped(0, trailer, CRC_BYTES);
    uart_put(FLAG);
}
