package io.stator.benchmarks.driver;

/**
 * The sizes and limits of one run.
 *
 * @param msgs             messages appended to the ingress log
 * @param keys             distinct keys; message {@code i} goes to key {@code i % keys}
 * @param partitions       runtime partitions (threads)
 * @param snapshotMillis   how often the runtime snapshots, committing an epoch (read-committed egress shows it)
 * @param snapshotQuietMillis how long output must be still before a snapshot starts early (0: never early)
 * @param ratePerSecond    the producer's offered rate; 0 appends as fast as it can
 * @param timeLimitSeconds the run stops after this long, finished or not
 * @param reminders        whether the counters of W1 and W4 also keep a delayed message to themselves pending
 *                         (see {@link BenchFunctions#counter})
 */
record RunSettings(long msgs, int keys, int partitions, long snapshotMillis, long snapshotQuietMillis,
        long ratePerSecond, long timeLimitSeconds, boolean reminders) {

    /** @return these settings with another message count */
    RunSettings withMsgs(long newMsgs) {
        return new RunSettings(newMsgs, keys, partitions, snapshotMillis, snapshotQuietMillis, ratePerSecond,
                timeLimitSeconds, reminders);
    }

    /** @return these settings with another offered rate (0: unlimited) */
    RunSettings withRate(long newRate) {
        return new RunSettings(msgs, keys, partitions, snapshotMillis, snapshotQuietMillis, newRate,
                timeLimitSeconds, reminders);
    }

    /** @return these settings with another time limit */
    RunSettings withTimeLimit(long seconds) {
        return new RunSettings(msgs, keys, partitions, snapshotMillis, snapshotQuietMillis, ratePerSecond, seconds,
                reminders);
    }
}
