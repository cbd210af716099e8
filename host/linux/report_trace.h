/* A trace of the agent's reports as JSON lines, {"channel":0,"document":"<the document>"},
 * appended and flushed one by one so that it survives restarts and kill -9. Tests compare
 * these traces between hosts (tests/node/support/otau-trace.ts reads them). */
#ifndef OTAU_REPORT_TRACE_H
#define OTAU_REPORT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report_trace {
    FILE *file; /* NULL: no trace */
};

/* Opens `path` for appending. False with a reason in `error`. */
bool report_trace_open(struct report_trace *trace, const char *path, char *error, size_t error_size);
void report_trace_write(struct report_trace *trace, uint32_t channel, const char *document, size_t len);
void report_trace_close(struct report_trace *trace);

#endif /* OTAU_REPORT_TRACE_H */
