#define _POSIX_C_SOURCE 200809L
#include "kaa_link.h"

#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_queue.h"
#include "retry_delay.h"

#define MQTT_DEFAULT_PORT 1883
#define MQTTS_DEFAULT_PORT 8883
#define KEEPALIVE_S 60
#define QOS_AT_LEAST_ONCE 1
#define TOPIC_MAX 512u
#define HOST_MAX 256u

struct kaa_link {
    struct kaa_settings settings;
    struct agent_events *events;
    struct mosquitto *mosq;
    char host[HOST_MAX];
    int port;
    bool tls;
    char base[TOPIC_MAX]; /* kp1/{app}/cmx_ota/{token} */
    bool connected;
    bool ever_connected;
    struct retry_delay reconnect;
    bool config_wanted;   /* a config request is due on the next connection */
    unsigned next_request_id;
    unsigned unacknowledged; /* QoS 1 publishes without PUBACK yet */
    struct report_queue applied;
    bool answered;
};

static void log_line(struct kaa_link *link, enum otau_log_level level, const char *what,
                     const char *detail)
{
    linux_log(link->events->device, level, "kaa: %s%s%s", what, detail ? ": " : "",
              detail ? detail : "");
}

static bool ends_with(const char *text, const char *suffix)
{
    size_t len = strlen(text);
    size_t suffix_len = strlen(suffix);
    return len >= suffix_len && strcmp(text + len - suffix_len, suffix) == 0;
}

/* True when `rest` is "{digits}/status" or "{digits}/error": a reply to one of our requests. */
static bool is_reply(const char *rest)
{
    size_t digits = strspn(rest, "0123456789");
    return digits > 0 && (strcmp(rest + digits, "/status") == 0 || strcmp(rest + digits, "/error") == 0);
}

static void on_message(struct mosquitto *mosq, void *context, const struct mosquitto_message *message)
{
    (void)mosq;
    struct kaa_link *link = context;
    size_t base_len = strlen(link->base);
    if (strncmp(message->topic, link->base, base_len) != 0) return;
    const char *path = message->topic + base_len;
    const char *payload = message->payload ? message->payload : "";
    size_t len = message->payloadlen > 0 ? (size_t)message->payloadlen : 0;

    if (strcmp(path, "/config/json/status") == 0) {
        log_line(link, OTAU_LOG_INFO, "config pushed", NULL);
        agent_events_config(link->events, OTAU_CONFIG_KAA_RESPONSE, payload, len);
    } else if (strncmp(path, "/config/json/", 13) == 0 && is_reply(path + 13)) {
        link->answered = true;
        agent_events_config(link->events, OTAU_CONFIG_KAA_RESPONSE, payload, len);
    } else if (strncmp(path, "/applied/json/", 14) == 0 && is_reply(path + 14) &&
               ends_with(path, "/error")) {
        char detail[200];
        snprintf(detail, sizeof detail, "%.*s", (int)(len < 180 ? len : 180), payload);
        log_line(link, OTAU_LOG_WARN, "applied report refused", detail);
    }
}

static void on_connect(struct mosquitto *mosq, void *context, int result)
{
    struct kaa_link *link = context;
    if (result != 0) {
        log_line(link, OTAU_LOG_WARN, "broker refused the connection", mosquitto_connack_string(result));
        return;
    }
    char topic[TOPIC_MAX + 4];
    snprintf(topic, sizeof topic, "%s/#", link->base);
    mosquitto_subscribe(mosq, NULL, topic, QOS_AT_LEAST_ONCE);
    link->connected = true;
    link->ever_connected = true;
    retry_delay_reset(&link->reconnect);
    /* Every (re)connection asks again: pushes sent while away were lost. */
    link->config_wanted = true;
    log_line(link, OTAU_LOG_INFO, "connected", link->host);
}

static void on_disconnect(struct mosquitto *mosq, void *context, int result)
{
    (void)mosq;
    struct kaa_link *link = context;
    link->connected = false;
    link->unacknowledged = 0; /* a clean session: nothing is resent */
    if (result != 0) log_line(link, OTAU_LOG_WARN, "connection lost", mosquitto_strerror(result));
}

static void on_publish(struct mosquitto *mosq, void *context, int message_id)
{
    (void)mosq, (void)message_id;
    struct kaa_link *link = context;
    if (link->unacknowledged > 0) link->unacknowledged--;
}

static bool publish_request(struct kaa_link *link, const char *path, const char *payload, size_t len)
{
    char topic[TOPIC_MAX + 64];
    snprintf(topic, sizeof topic, "%s/%s/%u", link->base, path, ++link->next_request_id);
    int status = mosquitto_publish(link->mosq, NULL, topic, (int)len, payload, QOS_AT_LEAST_ONCE, false);
    if (status != MOSQ_ERR_SUCCESS) {
        log_line(link, OTAU_LOG_WARN, "publish failed", mosquitto_strerror(status));
        return false;
    }
    link->unacknowledged++;
    return true;
}

/* Applied reports first, in order, then a pending config request: Kaa then knows what is
 * installed before it picks an update. */
static void send_pending(struct kaa_link *link)
{
    size_t len = 0;
    const char *document;
    while (link->connected && (document = report_queue_peek(&link->applied, &len))) {
        if (!publish_request(link, "applied/json", document, len)) return;
        report_queue_pop(&link->applied);
    }
    static const char config_request[] = "{\"observe\":true}";
    if (link->connected && link->config_wanted &&
        publish_request(link, "config/json", config_request, sizeof config_request - 1))
        link->config_wanted = false;
}

static void kaa_service(void *context, uint64_t now_ms)
{
    struct kaa_link *link = context;
    if (mosquitto_socket(link->mosq) < 0) {
        if (!retry_delay_due(&link->reconnect, now_ms)) return;
        /* A blocking TCP connect: quick on a LAN, and the agent needs the broker anyway. */
        int status = link->ever_connected ? mosquitto_reconnect(link->mosq)
                                          : mosquitto_connect(link->mosq, link->host, link->port,
                                                              KEEPALIVE_S);
        if (status != MOSQ_ERR_SUCCESS) {
            log_line(link, OTAU_LOG_WARN, "cannot connect", mosquitto_strerror(status));
            retry_delay_failed(&link->reconnect, now_ms);
            return;
        }
        link->ever_connected = true;
    }
    bool was_connected = link->connected;
    int status = mosquitto_loop(link->mosq, 0, 1);
    if (status == MOSQ_ERR_SUCCESS) send_pending(link);
    if (status == MOSQ_ERR_SUCCESS && mosquitto_want_write(link->mosq))
        status = mosquitto_loop(link->mosq, 0, 1);
    if (status != MOSQ_ERR_SUCCESS) {
        /* A failure before the broker's CONNACK (a TLS handshake refused while the loop runs it)
         * reaches no callback: say it here, as a failed connect. */
        if (!was_connected) log_line(link, OTAU_LOG_WARN, "cannot connect", mosquitto_strerror(status));
        link->connected = false;
        mosquitto_disconnect(link->mosq);
        retry_delay_failed(&link->reconnect, now_ms);
    }
}

static unsigned kaa_wait_fds(void *context, struct curl_waitfd *fds, unsigned capacity)
{
    struct kaa_link *link = context;
    int socket = mosquitto_socket(link->mosq);
    if (socket < 0 || capacity == 0) return 0;
    fds[0].fd = socket;
    fds[0].events = CURL_WAIT_POLLIN | (mosquitto_want_write(link->mosq) ? CURL_WAIT_POLLOUT : 0);
    fds[0].revents = 0;
    return 1;
}

static void kaa_publish(void *context, uint32_t channel, const char *document, size_t len)
{
    struct kaa_link *link = context;
    if (channel == OTAU_CHANNEL_KAA_APPLIED) {
        if (!report_queue_push(&link->applied, document, len))
            log_line(link, OTAU_LOG_ERROR, "applied report dropped: the send queue is full", NULL);
    } else if (channel == OTAU_CHANNEL_KAA_STATUS) {
        linux_log(link->events->device, OTAU_LOG_INFO, "kaa: status %.*s", (int)len, document);
    }
}

static void kaa_resync(void *context)
{
    ((struct kaa_link *)context)->config_wanted = true;
}

static bool kaa_answered(void *context)
{
    return ((struct kaa_link *)context)->answered;
}

static bool kaa_drained(void *context)
{
    struct kaa_link *link = context;
    return link->applied.count == 0 && link->unacknowledged == 0;
}

static void kaa_close(void *context)
{
    struct kaa_link *link = context;
    if (link->connected) {
        mosquitto_disconnect(link->mosq);
        mosquitto_loop(link->mosq, 0, 1); /* sends the DISCONNECT */
    }
    mosquitto_destroy(link->mosq);
    mosquitto_lib_cleanup();
    report_queue_clear(&link->applied);
    free(link);
}

/* mqtt://host[:port] or mqtts://host[:port] (TLS), host without userinfo or path. */
static bool parse_broker_url(struct kaa_link *link, const char *url)
{
    static const char plain[] = "mqtt://";
    static const char secure[] = "mqtts://";
    const char *host;
    if (strncmp(url, plain, sizeof plain - 1) == 0) {
        host = url + sizeof plain - 1;
    } else if (strncmp(url, secure, sizeof secure - 1) == 0) {
        host = url + sizeof secure - 1;
        link->tls = true;
    } else {
        return false;
    }
    size_t host_len = strcspn(host, ":/");
    if (host_len == 0 || host_len >= sizeof link->host) return false;
    memcpy(link->host, host, host_len);
    link->host[host_len] = '\0';
    link->port = link->tls ? MQTTS_DEFAULT_PORT : MQTT_DEFAULT_PORT;
    const char *rest = host + host_len;
    if (*rest == ':') {
        char *end = NULL;
        long port = strtol(rest + 1, &end, 10);
        if (end == rest + 1 || port < 1 || port > 65535) return false;
        link->port = (int)port;
        rest = end;
    }
    return *rest == '\0' || strcmp(rest, "/") == 0;
}

/* TLS for mqtts:// (the broker's certificate and host name verified against the CA file, or
 * the system's CAs) and the user name and password, before the first connect. */
static bool configure_security(struct kaa_link *link, const struct kaa_settings *settings,
                               char *error, size_t error_size)
{
    if (settings->ca_file && !link->tls) {
        snprintf(error, error_size, "--mqtt-ca needs an mqtts:// broker URL");
        return false;
    }
    if (link->tls) {
        int status = settings->ca_file
                         ? mosquitto_tls_set(link->mosq, settings->ca_file, NULL, NULL, NULL, NULL)
                         : mosquitto_tls_set(link->mosq, NULL, "/etc/ssl/certs", NULL, NULL, NULL);
        if (status != MOSQ_ERR_SUCCESS) {
            snprintf(error, error_size, "cannot use --mqtt-ca '%s': %s",
                     settings->ca_file ? settings->ca_file : "/etc/ssl/certs", mosquitto_strerror(status));
            return false;
        }
    }
    if (settings->password && !settings->username) {
        snprintf(error, error_size, "--mqtt-password needs --mqtt-username");
        return false;
    }
    if (settings->username &&
        mosquitto_username_pw_set(link->mosq, settings->username, settings->password) != MOSQ_ERR_SUCCESS) {
        snprintf(error, error_size, "cannot set the MQTT user name");
        return false;
    }
    return true;
}

/* A topic level: no separators or wildcards. */
static bool topic_level_ok(const char *level)
{
    return level && level[0] && !strpbrk(level, "/+#");
}

bool kaa_link_open(struct cloud_link *link, struct agent_events *events,
                   const struct kaa_settings *settings, char *error, size_t error_size)
{
    struct kaa_link *kaa = calloc(1, sizeof *kaa);
    if (!kaa) {
        snprintf(error, error_size, "out of memory for the Kaa link");
        return false;
    }
    kaa->settings = *settings;
    kaa->events = events;
    report_queue_init(&kaa->applied);
    if (!parse_broker_url(kaa, settings->broker_url)) {
        snprintf(error, error_size, "--kaa-mqtt must be mqtt://host[:port] or mqtts://host[:port], not '%s'",
                 settings->broker_url);
        free(kaa);
        return false;
    }
    if (!topic_level_ok(settings->application) || !topic_level_ok(settings->token)) {
        snprintf(error, error_size, "--kaa-app and --kaa-token must be non-empty without '/', '+' or '#'");
        free(kaa);
        return false;
    }
    snprintf(kaa->base, sizeof kaa->base, "kp1/%s/cmx_ota/%s", settings->application, settings->token);
    mosquitto_lib_init();
    char client_id[64];
    snprintf(client_id, sizeof client_id, "otau-%.40s", settings->token);
    kaa->mosq = mosquitto_new(client_id, true, kaa);
    if (!kaa->mosq) {
        mosquitto_lib_cleanup();
        snprintf(error, error_size, "cannot create an MQTT client");
        free(kaa);
        return false;
    }
    if (!configure_security(kaa, settings, error, error_size)) {
        mosquitto_destroy(kaa->mosq);
        mosquitto_lib_cleanup();
        free(kaa);
        return false;
    }
    mosquitto_connect_callback_set(kaa->mosq, on_connect);
    mosquitto_disconnect_callback_set(kaa->mosq, on_disconnect);
    mosquitto_message_callback_set(kaa->mosq, on_message);
    mosquitto_publish_callback_set(kaa->mosq, on_publish);
    *link = (struct cloud_link){
        .context = kaa,
        .publish = kaa_publish,
        .service = kaa_service,
        .wait_fds = kaa_wait_fds,
        .resync = kaa_resync,
        .answered = kaa_answered,
        .drained = kaa_drained,
        .close = kaa_close,
    };
    return true;
}
