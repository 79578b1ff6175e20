package io.stator.remote.client;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one hand-over point from HTTP threads to the partition thread: many producers (OkHttp callbacks, the
 * retry scheduler) offer completions; the partition thread polls them in {@link RemoteDispatcher#drainCompletions()}.
 * After each offer the wake-up hook runs, so an idle partition can be woken.
 */
final class CompletionQueue {
    private final ConcurrentLinkedQueue<Completion> queue = new ConcurrentLinkedQueue<>();
    private final Runnable onCompletion;

    CompletionQueue(Runnable onCompletion) {
        this.onCompletion = onCompletion;
    }

    /** Any thread. */
    void offer(Completion completion) {
        queue.offer(completion);
        onCompletion.run();
    }

    /** Partition thread. @return the oldest completion, or null */
    Completion poll() {
        return queue.poll();
    }
}
