/*
 * Text formatting for the boards without newlib's stdio, whose printf family and FILE layer
 * are most of the C library's flash share. Linking cortexm_format.c replaces snprintf and
 * vsnprintf (the host core formats its error lines with them) by this small formatter.
 *
 * Conversions: %d %i %u %x %X %c %s %% with an optional `-` or `0` flag, a width, a precision
 * for %s (`.N` or `.*`) and the `l` or `z` length. Anything else (%llu, %f, %p ...) is printed
 * as `%?`, visibly wrong rather than reading the wrong arguments further.
 */
#ifndef CORTEXM_FORMAT_H
#define CORTEXM_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted text piece by piece (never NUL-terminated). */
typedef void (*cortexm_text_sink)(void *context, const char *text, size_t len);

/* Formats into `sink`; returns the number of characters produced. */
int cortexm_vformat(cortexm_text_sink sink, void *context, const char *format, va_list args);

#endif
