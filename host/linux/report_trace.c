#include "report_trace.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

bool report_trace_open(struct report_trace *trace, const char *path, char *error, size_t error_size)
{
    trace->file = fopen(path, "a");
    if (!trace->file) {
        snprintf(error, error_size, "cannot open trace %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* The document as a JSON string: a report that is not valid JSON still traces as one line. */
static void write_json_string(FILE *file, const char *text, size_t len)
{
    fputc('"', file);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            fprintf(file, "\\%c", c);
        else if (c < 0x20)
            fprintf(file, "\\u%04x", c);
        else
            fputc(c, file);
    }
    fputc('"', file);
}

void report_trace_write(struct report_trace *trace, uint32_t channel, const char *document, size_t len)
{
    if (!trace->file) return;
    fprintf(trace->file, "{\"channel\":%u,\"document\":", (unsigned)channel);
    write_json_string(trace->file, document, len);
    fputs("}\n", trace->file);
    fflush(trace->file);
}

void report_trace_close(struct report_trace *trace)
{
    if (trace->file) fclose(trace->file);
    trace->file = NULL;
}
