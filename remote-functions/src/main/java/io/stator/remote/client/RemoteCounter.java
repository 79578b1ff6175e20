package io.stator.remote.client;

/**
 * The monotonic counters of one {@link RemoteDispatcher}, read with {@link RemoteDispatcher#count(RemoteCounter)}.
 * Ids are stable, for metric exports. Gauges (in flight, queued) have their own methods on the dispatcher.
 */
public enum RemoteCounter {
    BATCHES_SENT(0, "remote batches sent (first attempts, including re-sends after a state round trip)"),
    INVOCATIONS_SENT(1, "remote invocations sent in batches"),
    REPLIES_APPLIED(2, "remote replies whose effects were applied"),
    STATE_ROUND_TRIPS(3, "IncompleteInvocationContext replies (batch re-sent with more state)"),
    RETRIES(4, "HTTP attempts retried after an I/O error or a retryable status"),
    BATCH_FAILURES(5, "batches that failed after their retries or with an unusable reply"),
    DEAD_LETTERED(6, "invocations handed to deadLetter"),
    BACKPRESSURE_EVENTS(7, "times an address's backlog reached maxNumBatchRequests, or all backlogs together"
            + " maxQueuedInvocations");

    private final int id;
    private final String label;

    RemoteCounter(int id, String label) {
        this.id = id;
        this.label = label;
    }

    /** @return the counter's stable id */
    public int id() {
        return id;
    }

    /** @return what the counter counts */
    public String label() {
        return label;
    }
}
