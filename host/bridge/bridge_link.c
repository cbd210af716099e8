#include "bridge_link.h"

#include <string.h>

#include "bridge_uart.h"

/* Frame types (docs/uart-bridge.md). Firmware to bridge: */
enum {
    FRAME_HELLO = 0x01,   /* version, " ", slot */
    FRAME_FETCH = 0x02,   /* id u8, range start u32, URL */
    FRAME_CANCEL = 0x03,  /* id u8 */
    FRAME_PUBLISH = 0x04, /* channel u8, document */
};
/* Bridge to firmware: */
enum {
    FRAME_LINK = 0x81,     /* the cloud answered */
    FRAME_CONFIG = 0x82,   /* source u8, full length u32, the document's first bytes */
    FRAME_RESPONSE = 0x83, /* id u8, HTTP status u16, range start u32, total length u32 */
    FRAME_DATA = 0x84,     /* id u8, body bytes */
    FRAME_END = 0x85,      /* id u8, complete u8 */
};

static void put_u32(uint8_t *at, uint32_t value)
{
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
    at[2] = (uint8_t)(value >> 16);
    at[3] = (uint8_t)(value >> 24);
}

static uint32_t get_u32(const uint8_t *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

void bridge_link_hello(struct bridge_link *link, const char *version, const char *slot)
{
    frame_reader_init(&link->reader);
    link->fetching = false;
    link->cloud_answered = false;
    uint8_t text[80];
    size_t version_len = strlen(version), slot_len = strlen(slot);
    if (version_len + 1 + slot_len > sizeof text) version_len = sizeof text - 1 - slot_len;
    memcpy(text, version, version_len);
    text[version_len] = ' ';
    memcpy(text + version_len + 1, slot, slot_len);
    frame_send(FRAME_HELLO, NULL, 0, text, (uint32_t)(version_len + 1 + slot_len));
}

int32_t bridge_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start)
{
    struct bridge_link *link = context;
    uint8_t head[5];
    link->fetch_id++;
    link->fetching = true;
    head[0] = link->fetch_id;
    put_u32(head + 1, range_start);
    frame_send(FRAME_FETCH, head, sizeof head, (const uint8_t *)url, (uint32_t)url_len);
    return 0;
}

void bridge_fetch_cancel(void *context)
{
    struct bridge_link *link = context;
    if (!link->fetching) return;
    link->fetching = false;
    frame_send(FRAME_CANCEL, &link->fetch_id, 1, NULL, 0);
}

int32_t bridge_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    (void)context;
    uint8_t head = (uint8_t)channel;
    frame_send(FRAME_PUBLISH, &head, 1, document, (uint32_t)len);
    return 0;
}

/* A frame of the fetch in progress, with at least `header` bytes after its type. */
static bool current_fetch(const struct bridge_link *link, uint32_t header)
{
    return link->fetching && link->reader.len >= 1 + header && link->reader.bytes[1] == link->fetch_id;
}

static int deliver(struct bridge_link *link, otau_agent *agent)
{
    const uint8_t *frame = link->reader.bytes;
    uint32_t body_len = link->reader.len - 1;
    int32_t result = 0;
    uint32_t io_size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &io_size);
    switch (frame[0]) {
    case FRAME_LINK:
        link->cloud_answered = true;
        return OTAU_AGENT_OK;
    case FRAME_CONFIG: {
        if (body_len < 5) return OTAU_AGENT_OK;
        uint32_t len = body_len - 5 < io_size ? body_len - 5 : io_size;
        memcpy(io, frame + 6, len);
        /* A document longer than the buffer: its first bytes and its whole length (docs/abi.md). */
        return otau_agent_on_config(agent, frame[1], get_u32(frame + 2), &result);
    }
    case FRAME_RESPONSE:
        if (!current_fetch(link, 11)) return OTAU_AGENT_OK;
        return otau_agent_on_response(agent, (uint32_t)frame[2] | (uint32_t)frame[3] << 8,
                                      get_u32(frame + 4), get_u32(frame + 8), &result);
    case FRAME_DATA:
        if (!current_fetch(link, 1) || body_len - 1 > io_size) return OTAU_AGENT_OK;
        memcpy(io, frame + 2, body_len - 1);
        return otau_agent_on_data(agent, body_len - 1, &result);
    case FRAME_END:
        if (!current_fetch(link, 2)) return OTAU_AGENT_OK;
        /* Over before the agent hears of it: it may start the next fetch at once. */
        link->fetching = false;
        return otau_agent_on_data_end(agent, frame[2] ? 1 : 0, &result);
    default:
        return OTAU_AGENT_OK;
    }
}

int bridge_link_poll(struct bridge_link *link, otau_agent *agent)
{
    uint8_t byte;
    while (uart_get(&byte)) {
        if (frame_reader_push(&link->reader, byte)) return deliver(link, agent);
    }
    return OTAU_AGENT_OK;
}
