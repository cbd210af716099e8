/* The fuzz oracle for reports: every document the agent reports is strict UTF-8, one RFC 8259
 * JSON object, and its fields have the form and lengths docs/abi.md promises. */
#ifndef FUZZ_REPORT_CHECK_H
#define FUZZ_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Messages are at most 400 bytes (docs/abi.md "Reports"), counted as the decoded text. */
#define REPORT_MESSAGE_MAX 400u

/* NULL when `document` (a report on `channel`) is well formed, else what is wrong with it. */
const char *report_check(uint32_t channel, const uint8_t *document, size_t len);

/* The decoded value of the top-level string field `name` of a document report_check accepted,
 * copied into `out` (NUL-terminated, cut to `size` - 1 bytes); false when absent. */
bool report_field(const uint8_t *document, size_t len, const char *name, char *out, size_t size);

#endif
