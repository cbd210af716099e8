#define _POSIX_C_SOURCE 200809L
#include "murano_link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_queue.h"
#include "retry_delay.h"

#define CIK_MAX 128u
/* A config document the agent cannot take is still read whole, to pass its length. */
#define RESPONSE_MAX_BYTES (1024u * 1024u)
/* How long past Request-Timeout a silent long-poll is given before it is dropped. */
#define POLL_GRACE_MS 15000u
#define WRITE_TIMEOUT_MS 30000L
#define CONFIG_ALIAS "config_otau"
/* The first poll asks for any value newer than 1970: the current one arrives at once. */
#define EPOCH_HTTP_DATE "Thu, 01 Jan 1970 00:00:00 GMT"

/* Growing body of one response. */
struct response_body {
    char *data;
    size_t len;
    bool too_long;
};

struct murano_request {
    struct curl_transfer transfer;
    struct murano_link *link;
    struct curl_slist *headers;
    char *form; /* the POST body, kept alive for libcurl */
    struct response_body body;
    struct retry_delay retry;
};

struct murano_link {
    struct murano_settings settings;
    struct curl_loop *loop;
    struct agent_events *events;
    uint64_t now_ms;
    char cik[CIK_MAX];
    struct murano_request activation;
    struct murano_request poll;
    struct murano_request write;
    char last_modified[64];  /* Last-Modified of the config last read; "" before the first */
    char seen_modified[64];  /* Last-Modified of the response being read */
    struct report_queue reports;
    bool answered;
};

static void log_line(struct murano_link *link, enum otau_log_level level, const char *what,
                     const char *detail)
{
    linux_log(link->events->device, level, "murano: %s%s%s", what, detail ? ": " : "",
              detail ? detail : "");
}

static size_t collect_body(char *bytes, size_t size, size_t count, void *context)
{
    struct response_body *body = context;
    size_t len = size * count;
    if (body->len + len > RESPONSE_MAX_BYTES) {
        body->too_long = true;
        return 0;
    }
    char *grown = realloc(body->data, body->len + len + 1);
    if (!grown) return 0;
    memcpy(grown + body->len, bytes, len);
    body->data = grown;
    body->len += len;
    body->data[body->len] = '\0';
    return len;
}

static size_t note_last_modified(char *line, size_t size, size_t count, void *context)
{
    struct murano_link *link = context;
    size_t len = size * count;
    static const char name[] = "Last-Modified:";
    if (len > sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
        const char *value = line + sizeof name - 1;
        size_t value_len = len - (sizeof name - 1);
        while (value_len > 0 && *value == ' ') value++, value_len--;
        while (value_len > 0 && (value[value_len - 1] == '\r' || value[value_len - 1] == '\n'))
            value_len--;
        if (value_len < sizeof link->seen_modified) {
            memcpy(link->seen_modified, value, value_len);
            link->seen_modified[value_len] = '\0';
        }
    }
    return len;
}

static void request_release(struct murano_request *request)
{
    curl_loop_remove(request->link->loop, &request->transfer);
    if (request->transfer.easy) curl_easy_cleanup(request->transfer.easy);
    request->transfer.easy = NULL;
    curl_slist_free_all(request->headers);
    request->headers = NULL;
    free(request->form);
    request->form = NULL;
    free(request->body.data);
    request->body = (struct response_body){0};
}

static bool request_busy(const struct murano_request *request)
{
    return request->transfer.easy != NULL;
}

/* Starts a request to `path` (with the CIK header once known); a POST when `form` is given.
 * Takes ownership of `form`. */
static bool request_start(struct murano_request *request, const char *path, char *form,
                          long timeout_ms, curl_write_callback header_function)
{
    struct murano_link *link = request->link;
    size_t url_len = strlen(link->settings.base_url) + strlen(path) + 1;
    char *url = malloc(url_len);
    CURL *easy = curl_easy_init();
    bool ok = url && easy;
    if (ok) {
        snprintf(url, url_len, "%s%s", link->settings.base_url, path);
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &request->body);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        if (form) curl_easy_setopt(easy, CURLOPT_POSTFIELDS, form);
        if (header_function) {
            curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, header_function);
            curl_easy_setopt(easy, CURLOPT_HEADERDATA, link);
        }
        if (link->cik[0]) {
            char header[CIK_MAX + 32];
            snprintf(header, sizeof header, "X-Exosite-CIK: %s", link->cik);
            struct curl_slist *grown = curl_slist_append(request->headers, header);
            ok = grown != NULL;
            if (grown) request->headers = grown;
        }
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, request->headers);
    }
    free(url); /* libcurl copies the URL */
    request->transfer.easy = easy;
    request->form = form;
    if (ok) ok = curl_loop_add(link->loop, &request->transfer);
    if (!ok) {
        request_release(request);
        log_line(link, OTAU_LOG_WARN, "cannot start a request", path);
        retry_delay_failed(&request->retry, link->now_ms);
    }
    return ok;
}

/* "name=value" with the value URL-encoded, for a form body; NULL when out of memory. */
static char *form_field(const char *name, const char *value, size_t len)
{
    char *escaped = curl_easy_escape(NULL, value, (int)len);
    size_t form_len = escaped ? strlen(name) + 1 + strlen(escaped) + 1 : 0;
    char *form = escaped ? malloc(form_len) : NULL;
    if (form) snprintf(form, form_len, "%s=%s", name, escaped);
    curl_free(escaped);
    return form;
}

/* Why a request failed, for the log: libcurl's reason, or the status and the start of the body. */
static void describe_failure(const struct murano_request *request, CURLcode result, long status,
                             char *detail, size_t size)
{
    if (request->body.too_long)
        snprintf(detail, size, "the answer is larger than 1 MiB");
    else if (result != CURLE_OK)
        snprintf(detail, size, "%s", curl_easy_strerror(result));
    else
        snprintf(detail, size, "HTTP %ld %.100s", status, request->body.data ? request->body.data : "");
}

/* A request that failed: logs why, frees it, and lets it start again after a doubling delay. */
static void request_failed(struct murano_request *request, const char *what, CURLcode result,
                           long status)
{
    struct murano_link *link = request->link;
    char detail[160];
    describe_failure(request, result, status, detail, sizeof detail);
    log_line(link, OTAU_LOG_WARN, what, detail);
    request_release(request);
    retry_delay_failed(&request->retry, link->now_ms);
}

/* ---- activation: identity → CIK, kept in a file so that later starts reuse it */

static bool read_cik(struct murano_link *link, char *error, size_t error_size)
{
    FILE *file = fopen(link->settings.cik_file, "r");
    if (!file) {
        if (errno == ENOENT) return true; /* not activated yet */
        snprintf(error, error_size, "cannot read CIK file %s: %s", link->settings.cik_file,
                 strerror(errno));
        return false;
    }
    size_t len = fread(link->cik, 1, sizeof link->cik - 1, file);
    fclose(file);
    link->cik[len] = '\0';
    while (len > 0 && (link->cik[len - 1] == '\n' || link->cik[len - 1] == '\r' ||
                       link->cik[len - 1] == ' '))
        link->cik[--len] = '\0';
    return true;
}

static bool save_cik(struct murano_link *link)
{
    size_t path_len = strlen(link->settings.cik_file) + 5;
    char *temporary = malloc(path_len);
    if (!temporary) return false;
    snprintf(temporary, path_len, "%s.new", link->settings.cik_file);
    /* The CIK is the device's credential: readable by its owner only (0600, whatever the umask
     * or an old file's mode). */
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    if (fd >= 0 && fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        close(fd);
        fd = -1;
    }
    FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!file && fd >= 0) close(fd);
    bool ok = file && fprintf(file, "%s\n", link->cik) > 0;
    if (file && fclose(file) != 0) ok = false;
    /* Renamed into place: a power cut leaves the old file or the whole new one. */
    if (ok) ok = rename(temporary, link->settings.cik_file) == 0;
    if (!ok) remove(temporary);
    free(temporary);
    return ok;
}

static void activation_done(struct curl_transfer *transfer, CURLcode result)
{
    struct murano_request *request = (struct murano_request *)transfer;
    struct murano_link *link = request->link;
    long status = curl_transfer_status(transfer);
    if (result == CURLE_OK && status == 200 && request->body.len > 0 &&
        request->body.len < sizeof link->cik && !strpbrk(request->body.data, "\r\n ")) {
        memcpy(link->cik, request->body.data, request->body.len + 1);
        if (!save_cik(link))
            log_line(link, OTAU_LOG_WARN, "cannot save the CIK", link->settings.cik_file);
        log_line(link, OTAU_LOG_INFO, "activated", link->settings.identity);
        request_release(request);
        return;
    }
    request_failed(request, "activation failed", result, status);
}

static void start_activation(struct murano_link *link)
{
    const char *identity = link->settings.identity;
    char *form = form_field("id", identity, strlen(identity));
    if (!form) {
        retry_delay_failed(&link->activation.retry, link->now_ms);
        return;
    }
    link->activation.transfer.done = activation_done;
    request_start(&link->activation, "/provision/activate", form, WRITE_TIMEOUT_MS, NULL);
}

/* ---- long-poll of config_otau */

enum form_result { FORM_FOUND, FORM_ABSENT, FORM_DUPLICATE };

/* The value of `alias` in the NUL-terminated form body `body`, decoded in place ('+' is a
 * space). A field given twice is refused, as the agent refuses a JSON key given twice: which
 * copy wins is where parsers disagree. */
static enum form_result form_value(char *body, const char *alias, char **value_out, size_t *len)
{
    size_t alias_len = strlen(alias);
    char *value = NULL;
    for (char *field = body; field; field = strchr(field, '&') ? strchr(field, '&') + 1 : NULL) {
        if (strncmp(field, alias, alias_len) != 0 || field[alias_len] != '=') continue;
        if (value) return FORM_DUPLICATE;
        value = field + alias_len + 1;
    }
    if (!value) return FORM_ABSENT;
    char *end = strchr(value, '&');
    if (end) *end = '\0';
    for (char *at = value; *at; at++)
        if (*at == '+') *at = ' ';
    int decoded_len = 0;
    char *decoded = curl_easy_unescape(NULL, value, 0, &decoded_len);
    if (!decoded) return FORM_ABSENT;
    memcpy(value, decoded, (size_t)decoded_len); /* never longer than the encoded text */
    curl_free(decoded);
    *value_out = value;
    *len = (size_t)decoded_len;
    return FORM_FOUND;
}

/* A config_otau answer the host cannot hand on as one document: logged, and reported on otau_in
 * as a TEST_ERROR with an empty version (the host reads no JSON, so it cannot name one). */
static void refuse_config(struct murano_link *link, const char *reason)
{
    log_line(link, OTAU_LOG_ERROR, "config_otau answer refused", reason);
    char document[256];
    int len = snprintf(document, sizeof document,
                       "{\"version\":\"\",\"status\":\"TEST_ERROR\",\"message\":"
                       "\"config_otau refused by the host: %s\"}", reason);
    const struct linux_transport *transport = link->events->device->transport;
    if (transport && transport->publish && len > 0 && (size_t)len < sizeof document)
        transport->publish(transport->context, 0, (const uint8_t *)document, (size_t)len);
}

/* The config_otau value of a 200 answer, or NULL (refused or absent: logged). */
static char *config_value(struct murano_link *link, struct response_body *body, size_t *len)
{
    if (!body->data) {
        log_line(link, OTAU_LOG_WARN, "a config answer without config_otau", NULL);
        return NULL;
    }
    /* A NUL would end the form early: the agent would get a cut value and never know. */
    if (memchr(body->data, '\0', body->len)) {
        refuse_config(link, "the answer holds a NUL byte");
        return NULL;
    }
    char *value = NULL;
    switch (form_value(body->data, CONFIG_ALIAS, &value, len)) {
    case FORM_FOUND:
        return value;
    case FORM_DUPLICATE:
        refuse_config(link, "the answer holds config_otau more than once");
        return NULL;
    case FORM_ABSENT:
        break;
    }
    log_line(link, OTAU_LOG_WARN, "a config answer without config_otau", NULL);
    return NULL;
}

static void poll_done(struct curl_transfer *transfer, CURLcode result)
{
    struct murano_request *request = (struct murano_request *)transfer;
    struct murano_link *link = request->link;
    long status = curl_transfer_status(transfer);
    if (result == CURLE_OK && (status == 200 || status == 304)) {
        retry_delay_reset(&request->retry);
        link->answered = true;
        char *value = NULL;
        size_t value_len = 0;
        if (status == 200) {
            snprintf(link->last_modified, sizeof link->last_modified, "%s", link->seen_modified);
            value = config_value(link, &request->body, &value_len);
        }
        if (value) {
            log_line(link, OTAU_LOG_INFO, "config_otau changed", NULL);
            agent_events_config(link->events, OTAU_CONFIG_MURANO_CONFIG_OTAU, value, value_len);
        }
        request_release(request);
        /* Without Last-Modified the next poll would answer the same value at once: wait. */
        if (status == 200 && !link->seen_modified[0])
            retry_delay_failed(&request->retry, link->now_ms);
        return; /* service() polls again */
    }
    request_failed(request, "config_otau poll failed", result, status);
}

static void start_poll(struct murano_link *link)
{
    struct murano_request *request = &link->poll;
    char header[96];
    snprintf(header, sizeof header, "Request-Timeout: %u", (unsigned)link->settings.poll_timeout_ms);
    request->headers = curl_slist_append(NULL, header);
    snprintf(header, sizeof header, "If-Modified-Since: %s",
             link->last_modified[0] ? link->last_modified : EPOCH_HTTP_DATE);
    struct curl_slist *grown = request->headers ? curl_slist_append(request->headers, header) : NULL;
    if (!grown) {
        request_release(request);
        retry_delay_failed(&request->retry, link->now_ms);
        return;
    }
    request->headers = grown;
    link->seen_modified[0] = '\0';
    request->transfer.done = poll_done;
    request_start(request, "/onep:v1/stack/alias?" CONFIG_ALIAS, NULL,
                  (long)link->settings.poll_timeout_ms + POLL_GRACE_MS, note_last_modified);
}

/* ---- otau_in writes, in order */

static void write_done(struct curl_transfer *transfer, CURLcode result)
{
    struct murano_request *request = (struct murano_request *)transfer;
    struct murano_link *link = request->link;
    long status = curl_transfer_status(transfer);
    /* A document the API refuses as such (400, 413) would block every later one: drop it. */
    bool refused = result == CURLE_OK && (status == 400 || status == 413);
    if (refused) {
        char detail[160];
        describe_failure(request, result, status, detail, sizeof detail);
        log_line(link, OTAU_LOG_ERROR, "otau_in document refused, dropped", detail);
    }
    if ((result == CURLE_OK && status >= 200 && status < 300) || refused) {
        retry_delay_reset(&request->retry);
        report_queue_pop(&link->reports);
        request_release(request);
        return;
    }
    request_failed(request, "otau_in write failed, will retry", result, status);
}

static void start_write(struct murano_link *link)
{
    size_t len = 0;
    const char *document = report_queue_peek(&link->reports, &len);
    char *form = form_field("otau_in", document, len);
    if (!form) {
        retry_delay_failed(&link->write.retry, link->now_ms);
        return;
    }
    link->write.transfer.done = write_done;
    request_start(&link->write, "/onep:v1/stack/alias", form, WRITE_TIMEOUT_MS, NULL);
}

/* ---- the cloud_link functions */

static void murano_publish(void *context, uint32_t channel, const char *document, size_t len)
{
    struct murano_link *link = context;
    if (channel != OTAU_CHANNEL_MURANO_OTAU_IN) return; /* the others are Kaa's */
    if (!report_queue_push(&link->reports, document, len))
        log_line(link, OTAU_LOG_ERROR, "otau_in report dropped: the send queue is full", NULL);
}

static bool due(const struct murano_request *request, uint64_t now_ms)
{
    return !request_busy(request) && retry_delay_due(&request->retry, now_ms);
}

static void murano_service(void *context, uint64_t now_ms)
{
    struct murano_link *link = context;
    link->now_ms = now_ms;
    if (!link->cik[0]) {
        if (due(&link->activation, now_ms)) start_activation(link);
        return;
    }
    if (due(&link->poll, now_ms)) start_poll(link);
    if (link->reports.count > 0 && due(&link->write, now_ms)) start_write(link);
}

static unsigned murano_wait_fds(void *context, struct curl_waitfd *fds, unsigned capacity)
{
    (void)context, (void)fds, (void)capacity;
    return 0; /* every transfer is libcurl's */
}

static void murano_resync(void *context)
{
    struct murano_link *link = context;
    request_release(&link->poll);
    retry_delay_reset(&link->poll.retry);
    link->last_modified[0] = '\0';
}

static bool murano_answered(void *context)
{
    return ((struct murano_link *)context)->answered;
}

static bool murano_drained(void *context)
{
    struct murano_link *link = context;
    return link->reports.count == 0;
}

static void murano_close(void *context)
{
    struct murano_link *link = context;
    request_release(&link->activation);
    request_release(&link->poll);
    request_release(&link->write);
    report_queue_clear(&link->reports);
    free(link);
}

bool murano_link_open(struct cloud_link *link, struct curl_loop *loop, struct agent_events *events,
                      const struct murano_settings *settings, char *error, size_t error_size)
{
    struct murano_link *murano = calloc(1, sizeof *murano);
    if (!murano) {
        snprintf(error, error_size, "out of memory for the Murano link");
        return false;
    }
    murano->settings = *settings;
    murano->loop = loop;
    murano->events = events;
    murano->activation.link = murano;
    murano->poll.link = murano;
    murano->write.link = murano;
    report_queue_init(&murano->reports);
    if (!read_cik(murano, error, error_size)) {
        free(murano);
        return false;
    }
    *link = (struct cloud_link){
        .context = murano,
        .publish = murano_publish,
        .service = murano_service,
        .wait_fds = murano_wait_fds,
        .resync = murano_resync,
        .answered = murano_answered,
        .drained = murano_drained,
        .close = murano_close,
    };
    return true;
}
