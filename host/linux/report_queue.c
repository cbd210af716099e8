#include "report_queue.h"

#include <stdlib.h>
#include <string.h>

void report_queue_init(struct report_queue *queue)
{
    memset(queue, 0, sizeof *queue);
}

void report_queue_clear(struct report_queue *queue)
{
    while (queue->count > 0) report_queue_pop(queue);
}

bool report_queue_push(struct report_queue *queue, const char *document, size_t len)
{
    if (queue->count == REPORT_QUEUE_CAPACITY) return false;
    char *copy = malloc(len + 1);
    if (!copy) return false;
    memcpy(copy, document, len);
    copy[len] = '\0';
    size_t tail = (queue->head + queue->count) % REPORT_QUEUE_CAPACITY;
    queue->documents[tail] = copy;
    queue->lengths[tail] = len;
    queue->count++;
    return true;
}

const char *report_queue_peek(const struct report_queue *queue, size_t *len)
{
    if (queue->count == 0) return NULL;
    if (len) *len = queue->lengths[queue->head];
    return queue->documents[queue->head];
}

void report_queue_pop(struct report_queue *queue)
{
    if (queue->count == 0) return;
    free(queue->documents[queue->head]);
    queue->documents[queue->head] = NULL;
    queue->head = (queue->head + 1) % REPORT_QUEUE_CAPACITY;
    queue->count--;
}
