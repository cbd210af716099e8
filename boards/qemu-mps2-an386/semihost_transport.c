#include "semihost_transport.h"

#include <string.h>

#include "semihost.h"

#define HTTP_OK 200
#define HTTP_PARTIAL_CONTENT 206
#define HTTP_NOT_FOUND 404
#define HTTP_RANGE_NOT_SATISFIABLE 416

static void close_fetch(struct semihost_transport *transport)
{
    if (transport->file >= 0) semihost_close(transport->file);
    transport->file = -1;
    transport->active = false;
}

void semihost_transport_init(struct semihost_transport *transport)
{
    memset(transport, 0, sizeof *transport);
    transport->file = -1;
}

/* The last path segment of the URL names the host file; anything that could climb out of
 * QEMU's working directory is refused. */
static bool file_name_of(const char *url, size_t url_len, char *name)
{
    size_t start = url_len;
    while (start > 0 && url[start - 1] != '/') start--;
    size_t len = url_len - start;
    if (len == 0 || len >= SEMIHOST_NAME_MAX || url[start] == '.') return false;
    for (size_t i = 0; i < len; i++)
        if (url[start + i] == '\\') return false;
    memcpy(name, url + start, len);
    name[len] = '\0';
    return true;
}

int32_t semihost_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start)
{
    struct semihost_transport *transport = context;
    close_fetch(transport);
    semihost_transport_init(transport);
    transport->active = true;
    transport->range_start = range_start;
    transport->http_status = HTTP_NOT_FOUND;

    char name[SEMIHOST_NAME_MAX];
    if (!file_name_of(url, url_len, name)) return 0;
    transport->file = semihost_open(name);
    int32_t size = transport->file >= 0 ? semihost_file_length(transport->file) : -1;
    if (size < 0) {
        close_fetch(transport);
        transport->active = true; /* still answers, with 404 */
        return 0;
    }
    transport->total_length = (uint32_t)size;
    if (range_start > transport->total_length) {
        transport->http_status = HTTP_RANGE_NOT_SATISFIABLE;
    } else if (semihost_seek(transport->file, range_start) != 0) {
        close_fetch(transport);
        transport->active = true; /* answers 404: the file cannot be read from there */
    } else {
        transport->http_status = range_start ? HTTP_PARTIAL_CONTENT : HTTP_OK;
    }
    return 0;
}

void semihost_fetch_cancel(void *context)
{
    close_fetch(context);
}

int32_t semihost_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    (void)context;
    console_printf("report %u: %.*s\n", (unsigned)channel, (int)len, (const char *)document);
    return 0;
}

bool semihost_transport_busy(const struct semihost_transport *transport)
{
    return transport->active;
}

int semihost_transport_step(struct semihost_transport *transport, otau_agent *agent)
{
    int32_t result;
    if (!transport->active) return OTAU_AGENT_OK;
    if (!transport->responded) {
        transport->responded = true;
        return otau_agent_on_response(agent, (uint32_t)transport->http_status,
                                      transport->range_start, transport->total_length, &result);
    }
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    int32_t got = 0;
    bool ok = transport->file >= 0 && transport->http_status < 300;
    if (ok && io) {
        got = semihost_read(transport->file, io, size);
        ok = got >= 0;
    }
    if (got > 0) {
        return otau_agent_on_data(agent, (uint32_t)got, &result);
    }
    /* The fetch is over before the agent hears of it: it may start the next one at once. */
    close_fetch(transport);
    uint32_t complete = ok ? 1u : 0u;
    return otau_agent_on_data_end(agent, complete, &result);
}

int32_t semihost_read_file(const char *path, uint8_t *dst, uint32_t max)
{
    int32_t file = semihost_open(path);
    if (file < 0) return -1;
    int32_t len = semihost_file_length(file);
    if (len < 0 || (uint32_t)len > max || semihost_read(file, dst, (uint32_t)len) != len) len = -1;
    semihost_close(file);
    return len;
}
