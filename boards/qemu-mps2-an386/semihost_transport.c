#include "semihost_transport.h"

#include <string.h>

#define SYS_GET_CMDLINE 0x15
#define HTTP_OK 200
#define HTTP_PARTIAL_CONTENT 206
#define HTTP_NOT_FOUND 404
#define HTTP_RANGE_NOT_SATISFIABLE 416

static void close_fetch(struct semihost_transport *transport)
{
    if (transport->file) fclose(transport->file);
    transport->file = NULL;
    transport->active = false;
}

/* The last path segment of the URL names the host file; anything that could climb out of
 * QEMU's working directory is refused. */
static bool file_name_of(const char *url, size_t url_len, char *name)
{
    size_t start = url_len;
    while (start > 0 && url[start - 1] != '/') start--;
    size_t len = url_len - start;
    if (len == 0 || len >= SEMIHOST_NAME_MAX || url[start] == '.') return false;
    memcpy(name, url + start, len);
    name[len] = '\0';
    return strchr(name, '\\') == NULL;
}

int32_t semihost_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start)
{
    struct semihost_transport *transport = context;
    close_fetch(transport);
    memset(transport, 0, sizeof *transport);
    transport->active = true;
    transport->range_start = range_start;
    transport->http_status = HTTP_NOT_FOUND;

    char name[SEMIHOST_NAME_MAX];
    if (!file_name_of(url, url_len, name)) return 0;
    transport->file = fopen(name, "rb");
    if (!transport->file) return 0;
    long size = fseek(transport->file, 0, SEEK_END) == 0 ? ftell(transport->file) : -1;
    if (size < 0) {
        close_fetch(transport);
        transport->active = true; /* still answers, with 404 */
        return 0;
    }
    transport->total_length = (uint32_t)size;
    if (range_start > transport->total_length) {
        transport->http_status = HTTP_RANGE_NOT_SATISFIABLE;
    } else {
        fseek(transport->file, (long)range_start, SEEK_SET);
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
    printf("report %u: %.*s\n", (unsigned)channel, (int)len, (const char *)document);
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
    size_t got = 0;
    bool ok = transport->file != NULL && transport->http_status < 300;
    if (ok && io) {
        got = fread(io, 1, size, transport->file);
        ok = got > 0 || !ferror(transport->file);
    }
    if (got > 0) {
        transport->delivered += (uint32_t)got;
        uint32_t len = (uint32_t)got;
        return otau_agent_on_data(agent, len, &result);
    }
    /* The fetch is over before the agent hears of it: it may start the next one at once. */
    close_fetch(transport);
    uint32_t complete = ok ? 1u : 0u;
    return otau_agent_on_data_end(agent, complete, &result);
}

int32_t semihost_read_file(const char *path, uint8_t *dst, uint32_t max)
{
    FILE *file = fopen(path, "rb");
    if (!file) return -1;
    size_t len = fread(dst, 1, max, file);
    int more = fgetc(file) != EOF;
    fclose(file);
    return more ? -1 : (int32_t)len;
}

static int32_t semihost_call(int32_t operation, void *argument)
{
    register int32_t r0 __asm__("r0") = operation;
    register void *r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int semihost_arguments(char *buffer, uint32_t size, char **argv, int max)
{
    uint32_t block[2] = {(uint32_t)buffer, size};
    if (semihost_call(SYS_GET_CMDLINE, block) != 0) return 0;
    int argc = 0;
    char *word = strtok(buffer, " ");
    while (word && argc < max) {
        argv[argc++] = word;
        word = strtok(NULL, " ");
    }
    return argc;
}
