package io.stator.runtime.internal;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * In-process input for one partition: a bounded many-to-one queue that {@code Stator.send} fills from any thread.
 * When the partition is backpressured it stops polling, the queue fills, and senders wait.
 */
public final class QueueIngress implements IngressSource {
    private final ManyToOneConcurrentArrayQueue<Envelope> queue;

    public QueueIngress(int capacity) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    /** @return false if the queue is full */
    public boolean offer(Envelope e) {
        return queue.offer(e);
    }

    /** @return whether nothing waits in the queue; any thread */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int poll(InputSink handler, int limit) {
        return queue.drain(handler, limit);
    }
}
