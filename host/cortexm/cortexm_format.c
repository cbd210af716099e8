#include "cortexm_format.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct spec {
    bool left;       /* '-': pad on the right */
    bool zero;       /* '0': pad numbers with zeros */
    int width;
    int precision;   /* -1: none; for %s the most characters printed */
};

struct output {
    cortexm_text_sink sink;
    void *context;
    int count;
};

static void emit(struct output *out, const char *text, size_t len)
{
    if (len == 0) return;
    out->sink(out->context, text, len);
    out->count += (int)len;
}

static void pad(struct output *out, char fill, int count)
{
    for (; count > 0; count--) emit(out, &fill, 1);
}

/* `text` of `len` characters in a field of spec->width. */
static void field(struct output *out, const struct spec *spec, const char *text, size_t len)
{
    int padding = spec->width > (int)len ? spec->width - (int)len : 0;
    if (!spec->left) pad(out, ' ', padding);
    emit(out, text, len);
    if (spec->left) pad(out, ' ', padding);
}

static void number(struct output *out, const struct spec *spec, unsigned long value, bool negative,
                   unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[3 * sizeof value + 1];
    size_t at = sizeof text;
    do {
        text[--at] = digits[value % base];
        value /= base;
    } while (value);
    size_t len = sizeof text - at;
    if (spec->zero && !spec->left) {
        int zeros = spec->width - (int)len - (negative ? 1 : 0);
        if (negative) emit(out, "-", 1);
        pad(out, '0', zeros);
        emit(out, text + at, len);
        return;
    }
    if (negative) text[--at] = '-', len++;
    field(out, spec, text + at, len);
}

/* Reads digits or '*' at `*format`; returns the value, or `absent` when there is neither. */
static int count_at(const char **format, va_list *args, int absent)
{
    if (**format == '*') {
        (*format)++;
        return va_arg(*args, int);
    }
    if (**format < '0' || **format > '9') return absent;
    int value = 0;
    while (**format >= '0' && **format <= '9') value = value * 10 + (*(*format)++ - '0');
    return value;
}

static int vformat(struct output *out, const char *format, va_list *args)
{
    while (*format) {
        const char *literal = format;
        while (*format && *format != '%') format++;
        emit(out, literal, (size_t)(format - literal));
        if (!*format) break;
        format++; /* the '%' */

        struct spec spec = {false, false, 0, -1};
        for (;; format++) {
            if (*format == '-') spec.left = true;
            else if (*format == '0') spec.zero = true;
            else break;
        }
        spec.width = count_at(&format, args, 0);
        if (spec.width < 0) spec.left = true, spec.width = -spec.width;
        if (*format == '.') {
            format++;
            spec.precision = count_at(&format, args, 0);
        }
        char length = 0;
        if (*format == 'l' || *format == 'z') length = *format++;
        if (length && *format == length) length = '!'; /* ll, zz: not supported */

        long value = 0;
        unsigned long magnitude = 0;
        char conversion = *format ? *format++ : '\0';
        switch (length == '!' ? '?' : conversion) {
        case 'd':
        case 'i':
            value = length == 'l' ? va_arg(*args, long) : length == 'z' ? (long)va_arg(*args, size_t)
                                                                        : va_arg(*args, int);
            number(out, &spec, value < 0 ? 0ul - (unsigned long)value : (unsigned long)value,
                   value < 0, 10, false);
            break;
        case 'u':
        case 'x':
        case 'X':
            magnitude = length == 'l' ? va_arg(*args, unsigned long)
                        : length == 'z' ? va_arg(*args, size_t)
                                        : va_arg(*args, unsigned);
            number(out, &spec, magnitude, false, conversion == 'u' ? 10 : 16, conversion == 'X');
            break;
        case 'c': {
            char c = (char)va_arg(*args, int);
            field(out, &spec, &c, 1);
            break;
        }
        case 's': {
            const char *text = va_arg(*args, const char *);
            if (!text) text = "(null)";
            size_t len = spec.precision >= 0 ? strnlen(text, (size_t)spec.precision) : strlen(text);
            field(out, &spec, text, len);
            break;
        }
        case '%':
            emit(out, "%", 1);
            break;
        default:
            emit(out, "%?", 2);
            return out->count; /* the remaining arguments cannot be matched any more */
        }
    }
    return out->count;
}

int cortexm_vformat(cortexm_text_sink sink, void *context, const char *format, va_list args)
{
    struct output out = {sink, context, 0};
    va_list copy;
    va_copy(copy, args);
    int count = vformat(&out, format, &copy);
    va_end(copy);
    return count;
}

/* ---- snprintf and vsnprintf over the formatter: what fits, always NUL-terminated. */
struct buffer {
    char *at;
    size_t left; /* room for characters, the terminating NUL excluded */
};

static void to_buffer(void *context, const char *text, size_t len)
{
    struct buffer *buffer = context;
    size_t n = len < buffer->left ? len : buffer->left;
    memcpy(buffer->at, text, n);
    buffer->at += n;
    buffer->left -= n;
}

int vsnprintf(char *dst, size_t size, const char *format, va_list args)
{
    struct buffer buffer = {dst, size ? size - 1 : 0};
    int count = cortexm_vformat(to_buffer, &buffer, format, args);
    if (size) *buffer.at = '\0';
    return count;
}

int snprintf(char *dst, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int count = vsnprintf(dst, size, format, args);
    va_end(args);
    return count;
}
