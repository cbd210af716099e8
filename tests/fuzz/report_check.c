#include "report_check.h"

#include <string.h>

#include "otau_abi.h"

/* A strict reader over one document: RFC 8259 grammar, RFC 3629 UTF-8 (no overlong forms, no
 * surrogates, nothing past U+10FFFF). Top-level string fields are decoded on request. */
struct reader {
    const uint8_t *at;
    const uint8_t *end;
    const char *problem;
    int depth;
};

#define MAX_DEPTH 32

static bool fail(struct reader *r, const char *problem)
{
    if (!r->problem) r->problem = problem;
    return false;
}

static void skip_space(struct reader *r)
{
    while (r->at < r->end && (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r'))
        r->at++;
}

/* One UTF-8 sequence at r->at of at least two bytes; advances past it. */
static bool utf8_sequence(struct reader *r)
{
    const uint8_t *s = r->at;
    size_t left = (size_t)(r->end - s);
    uint8_t b = s[0];
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b == 0xE0) n = 3, lo = 0xA0;
    else if (b >= 0xE1 && b <= 0xEC) n = 3;
    else if (b == 0xED) n = 3, hi = 0x9F; /* no UTF-16 surrogates */
    else if (b >= 0xEE && b <= 0xEF) n = 3;
    else if (b == 0xF0) n = 4, lo = 0x90;
    else if (b >= 0xF1 && b <= 0xF3) n = 4;
    else if (b == 0xF4) n = 4, hi = 0x8F;
    else return fail(r, "invalid UTF-8 lead byte");
    if (left < n) return fail(r, "UTF-8 sequence cut short");
    if (s[1] < lo || s[1] > hi) return fail(r, "invalid UTF-8 continuation");
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return fail(r, "invalid UTF-8 continuation");
    r->at += n;
    return true;
}

static int hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex4(struct reader *r, uint32_t *value)
{
    if (r->end - r->at < 4) return fail(r, "\\u escape cut short");
    *value = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(r->at[i]);
        if (d < 0) return fail(r, "\\u escape with a non-hex digit");
        *value = *value << 4 | (uint32_t)d;
    }
    r->at += 4;
    return true;
}

/* A string; its decoded length goes to *decoded_len, its decoded bytes (cut) to out. */
static bool string(struct reader *r, char *out, size_t size, size_t *decoded_len)
{
    size_t len = 0;
#define EMIT(byte)                                          \
    do {                                                    \
        if (out && len + 1 < size) out[len] = (char)(byte); \
        len++;                                              \
    } while (0)
    r->at++; /* the opening quote */
    for (;;) {
        if (r->at >= r->end) return fail(r, "string not closed");
        uint8_t c = *r->at;
        if (c == '"') {
            r->at++;
            break;
        }
        if (c < 0x20) return fail(r, "raw control character in a string");
        if (c >= 0x80) {
            const uint8_t *start = r->at;
            if (!utf8_sequence(r)) return false;
            for (const uint8_t *p = start; p < r->at; p++) EMIT(*p);
            continue;
        }
        r->at++;
        if (c != '\\') {
            EMIT(c);
            continue;
        }
        if (r->at >= r->end) return fail(r, "escape cut short");
        c = *r->at++;
        uint32_t code = 0;
        switch (c) {
        case '"': case '\\': case '/': EMIT(c); continue;
        case 'b': EMIT('\b'); continue;
        case 'f': EMIT('\f'); continue;
        case 'n': EMIT('\n'); continue;
        case 'r': EMIT('\r'); continue;
        case 't': EMIT('\t'); continue;
        case 'u':
            if (!hex4(r, &code)) return false;
            if (code >= 0xDC00 && code <= 0xDFFF) return fail(r, "lone low surrogate escape");
            if (code >= 0xD800 && code <= 0xDBFF) {
                uint32_t low = 0;
                if (r->end - r->at < 2 || r->at[0] != '\\' || r->at[1] != 'u')
                    return fail(r, "lone high surrogate escape");
                r->at += 2;
                if (!hex4(r, &low)) return false;
                if (low < 0xDC00 || low > 0xDFFF) return fail(r, "lone high surrogate escape");
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
            if (code < 0x80) {
                EMIT(code);
            } else if (code < 0x800) {
                EMIT(0xC0 | code >> 6); EMIT(0x80 | (code & 0x3F));
            } else if (code < 0x10000) {
                EMIT(0xE0 | code >> 12); EMIT(0x80 | (code >> 6 & 0x3F)); EMIT(0x80 | (code & 0x3F));
            } else {
                EMIT(0xF0 | code >> 18); EMIT(0x80 | (code >> 12 & 0x3F));
                EMIT(0x80 | (code >> 6 & 0x3F)); EMIT(0x80 | (code & 0x3F));
            }
            continue;
        default:
            return fail(r, "unknown escape");
        }
    }
#undef EMIT
    if (out && size > 0) out[len < size ? len : size - 1] = '\0';
    if (decoded_len) *decoded_len = len;
    return true;
}

static bool digits(struct reader *r)
{
    if (r->at >= r->end || *r->at < '0' || *r->at > '9') return fail(r, "digit expected");
    while (r->at < r->end && *r->at >= '0' && *r->at <= '9') r->at++;
    return true;
}

static bool number(struct reader *r)
{
    if (*r->at == '-') r->at++;
    if (r->at < r->end && *r->at == '0') r->at++;
    else if (!digits(r)) return false;
    if (r->at < r->end && *r->at == '.') {
        r->at++;
        if (!digits(r)) return false;
    }
    if (r->at < r->end && (*r->at == 'e' || *r->at == 'E')) {
        r->at++;
        if (r->at < r->end && (*r->at == '+' || *r->at == '-')) r->at++;
        if (!digits(r)) return false;
    }
    return true;
}

static bool literal(struct reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->at) < n || memcmp(r->at, word, n) != 0) return fail(r, "bad literal");
    r->at += n;
    return true;
}

static bool value(struct reader *r);

static bool container(struct reader *r, uint8_t close, bool keyed)
{
    if (++r->depth > MAX_DEPTH) return fail(r, "nested too deeply");
    r->at++;
    skip_space(r);
    if (r->at < r->end && *r->at == close) {
        r->at++;
        r->depth--;
        return true;
    }
    for (;;) {
        skip_space(r);
        if (keyed) {
            if (r->at >= r->end || *r->at != '"') return fail(r, "object key expected");
            if (!string(r, NULL, 0, NULL)) return false;
            skip_space(r);
            if (r->at >= r->end || *r->at != ':') return fail(r, "':' expected");
            r->at++;
        }
        if (!value(r)) return false;
        skip_space(r);
        if (r->at >= r->end) return fail(r, "container not closed");
        if (*r->at == ',') {
            r->at++;
            continue;
        }
        if (*r->at != close) return fail(r, "',' or close expected");
        r->at++;
        r->depth--;
        return true;
    }
}

static bool value(struct reader *r)
{
    skip_space(r);
    if (r->at >= r->end) return fail(r, "value expected");
    switch (*r->at) {
    case '{': return container(r, '}', true);
    case '[': return container(r, ']', false);
    case '"': return string(r, NULL, 0, NULL);
    case 't': return literal(r, "true");
    case 'f': return literal(r, "false");
    case 'n': return literal(r, "null");
    default:
        if (*r->at == '-' || (*r->at >= '0' && *r->at <= '9')) return number(r);
        return fail(r, "value expected");
    }
}

/* Finds top-level field `name`: r->at is left on its value. */
static bool find_field(struct reader *r, const char *name)
{
    skip_space(r);
    if (r->at >= r->end || *r->at != '{') return false;
    r->at++;
    for (;;) {
        skip_space(r);
        if (r->at >= r->end || *r->at != '"') return false;
        char key[32];
        size_t key_len = 0;
        if (!string(r, key, sizeof key, &key_len)) return false;
        skip_space(r);
        r->at++; /* ':' */
        skip_space(r);
        if (key_len == strlen(name) && strcmp(key, name) == 0) return true;
        if (!value(r)) return false;
        skip_space(r);
        if (r->at >= r->end || *r->at != ',') return false;
        r->at++;
    }
}

bool report_field(const uint8_t *document, size_t len, const char *name, char *out, size_t size)
{
    struct reader r = {document, document + len, NULL, 0};
    if (!find_field(&r, name) || r.at >= r.end || *r.at != '"') return false;
    return string(&r, out, size, NULL);
}

static const char *const statuses[] = {
    "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_SUCCESS", "TEST_ERROR",
    "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS", "DOWNLOAD_ERROR", "INSTALL",
    "INSTALL_STEP", "INSTALL_SUCCESS", "INSTALL_ERROR", "INSTALL_ABORTED",
};

/* A string field's decoded length; false (with a problem) when absent or not a string. */
static bool field_length(const uint8_t *document, size_t len, const char *name, size_t *length,
                         const char **problem)
{
    struct reader r = {document, document + len, NULL, 0};
    if (!find_field(&r, name) || r.at >= r.end || *r.at != '"' ||
        !string(&r, NULL, 0, length)) {
        *problem = "a required string field is missing";
        return false;
    }
    return true;
}

const char *report_check(uint32_t channel, const uint8_t *document, size_t len)
{
    struct reader r = {document, document + len, NULL, 0};
    skip_space(&r);
    if (r.at >= r.end || *r.at != '{') return "a report is not a JSON object";
    if (!value(&r)) return r.problem;
    skip_space(&r);
    if (r.at != r.end) return "text after the report's JSON value";

    const char *problem = NULL;
    size_t length = 0;
    if (channel == OTAU_CHANNEL_MURANO_OTAU_IN || channel == OTAU_CHANNEL_KAA_STATUS) {
        char status[32];
        if (!report_field(document, len, "status", status, sizeof status))
            return "a status report without a status";
        bool known = false;
        for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
            known = known || strcmp(status, statuses[i]) == 0;
        if (!known) return "a status report with an unknown status";
        if (!field_length(document, len, "version", &length, &problem)) return problem;
        if (length > 64) return "a report's version is longer than 64 bytes";
        if (!field_length(document, len, "message", &length, &problem)) return problem;
        if (length > REPORT_MESSAGE_MAX) return "a report's message is longer than 400 bytes";
        return NULL;
    }
    if (channel == OTAU_CHANNEL_KAA_APPLIED) {
        if (!field_length(document, len, "configId", &length, &problem)) return problem;
        if (length > 64) return "an applied report's configId is longer than 64 bytes";
        if (report_field(document, len, "reasonPhrase", NULL, 0) &&
            field_length(document, len, "reasonPhrase", &length, &problem) &&
            length > REPORT_MESSAGE_MAX)
            return "an applied report's reasonPhrase is longer than 400 bytes";
        return NULL;
    }
    return "a report on an unknown channel";
}
