/* Documents waiting to be sent, oldest first: the agent reports faster than one HTTP write at a
 * time can carry them, and the cloud must receive them in order. */
#ifndef OTAU_REPORT_QUEUE_H
#define OTAU_REPORT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

/* A full update reports a few dozen documents; this leaves room for a long offline spell. */
#define REPORT_QUEUE_CAPACITY 256u

struct report_queue {
    char *documents[REPORT_QUEUE_CAPACITY];
    size_t lengths[REPORT_QUEUE_CAPACITY];
    size_t head;
    size_t count;
};

void report_queue_init(struct report_queue *queue);
void report_queue_clear(struct report_queue *queue);
/* Copies the document in. False when the queue is full or memory runs out (nothing queued). */
bool report_queue_push(struct report_queue *queue, const char *document, size_t len);
/* The oldest document (NULL when empty); it stays queued until report_queue_pop(). */
const char *report_queue_peek(const struct report_queue *queue, size_t *len);
void report_queue_pop(struct report_queue *queue);

#endif /* OTAU_REPORT_QUEUE_H */
