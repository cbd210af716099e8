#include "semihost.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "cortexm_format.h"

/* Operation numbers of the ARM semihosting specification. */
enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE0 = 0x04,
    SYS_READ = 0x06,
    SYS_SEEK = 0x0A,
    SYS_FLEN = 0x0C,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT_EXTENDED = 0x20,
};
#define OPEN_MODE_READ_BINARY 1u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define CONSOLE_CHUNK 128u

static int32_t semihost_call(uint32_t operation, const void *argument)
{
    register uint32_t r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

/* ---- The console: formatted text collected in chunks, each written with SYS_WRITE0. */
struct console_line {
    char text[CONSOLE_CHUNK + 1];
    size_t len;
};

static void console_flush(struct console_line *line)
{
    if (line->len == 0) return;
    line->text[line->len] = '\0';
    semihost_call(SYS_WRITE0, line->text);
    line->len = 0;
}

static void to_console(void *context, const char *text, size_t len)
{
    struct console_line *line = context;
    while (len > 0) {
        size_t n = CONSOLE_CHUNK - line->len < len ? CONSOLE_CHUNK - line->len : len;
        memcpy(line->text + line->len, text, n);
        line->len += n;
        text += n;
        len -= n;
        if (line->len == CONSOLE_CHUNK) console_flush(line);
    }
}

void console_printf(const char *format, ...)
{
    struct console_line line;
    line.len = 0;
    va_list args;
    va_start(args, format);
    cortexm_vformat(to_console, &line, format, args);
    va_end(args);
    console_flush(&line);
}

/* ---- Host files. */
int32_t semihost_open(const char *path)
{
    const uint32_t block[3] = {(uint32_t)path, OPEN_MODE_READ_BINARY, (uint32_t)strlen(path)};
    return semihost_call(SYS_OPEN, block);
}

void semihost_close(int32_t handle)
{
    const uint32_t block[1] = {(uint32_t)handle};
    semihost_call(SYS_CLOSE, block);
}

int32_t semihost_read(int32_t handle, uint8_t *dst, uint32_t len)
{
    const uint32_t block[3] = {(uint32_t)handle, (uint32_t)dst, len};
    int32_t not_read = semihost_call(SYS_READ, block);
    if (not_read < 0 || (uint32_t)not_read > len) return -1;
    return (int32_t)(len - (uint32_t)not_read);
}

int32_t semihost_seek(int32_t handle, uint32_t offset)
{
    const uint32_t block[2] = {(uint32_t)handle, offset};
    return semihost_call(SYS_SEEK, block);
}

int32_t semihost_file_length(int32_t handle)
{
    const uint32_t block[1] = {(uint32_t)handle};
    return semihost_call(SYS_FLEN, block);
}

/* ---- The command line and the exit. */
int semihost_arguments(char *buffer, uint32_t size, char **argv, int max)
{
    uint32_t block[2] = {(uint32_t)buffer, size};
    if (semihost_call(SYS_GET_CMDLINE, block) != 0) return 0;
    int argc = 0;
    for (char *at = buffer; *at;) {
        if (*at == ' ') {
            *at++ = '\0';
            continue;
        }
        if (argc == max) break;
        argv[argc++] = at;
        while (*at && *at != ' ') at++;
    }
    return argc;
}

void semihost_exit(int status)
{
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    for (;;) semihost_call(SYS_EXIT_EXTENDED, block);
}
