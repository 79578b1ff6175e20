package io.stator.runtime.snapshot;

/**
 * The last completed snapshot, for logs and the HTTP API.
 *
 * @param lastId            the last completed snapshot id, -1 if none yet
 * @param committedEpoch    the last epoch whose output is committed, -1 if none
 * @param durationNanos     from its barrier to its manifest
 * @param bytes             bytes its state checkpoints copied to the snapshot store
 * @param pauseNanos        the longest time a partition thread spent taking its part (freezing its dirty state,
 *                          recording timers and pending messages; the state's write and checkpoint run behind)
 * @param completedAtMillis when it completed
 * @param failures          snapshots that failed since start
 * @param lastFailure       why the last failed one failed, or null
 * @param completed         snapshots completed since start
 * @param maxPauseNanos     the longest synchronous part of any partition in any snapshot since start
 * @param totalDurationNanos the durations of the snapshots completed since start, added up: with {@code completed},
 *                          their mean, which is how much longer than the interval exactly-once output waits
 * @param maxDurationNanos  the longest snapshot completed since start, barrier to manifest
 * @param heldNanos         how long the snapshots completed since start were held back, added up: due, but waiting
 *                          for a partition's state store to finish writing the one before (its barrier would have
 *                          stopped that partition meanwhile)
 * @param failedInARow      snapshots that failed since the last one completed (or since start)
 */
public record SnapshotStatus(long lastId, long committedEpoch, long durationNanos, long bytes, long pauseNanos,
        long completedAtMillis, long failures, String lastFailure, long completed, long maxPauseNanos,
        long totalDurationNanos, long maxDurationNanos, long heldNanos, long failedInARow) {
    /** Before any snapshot. */
    public static final SnapshotStatus NONE = new SnapshotStatus(-1, -1, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0);

    /** @return this status plus one failure */
    public SnapshotStatus withFailure(long id, String why) {
        return new SnapshotStatus(lastId, committedEpoch, durationNanos, bytes, pauseNanos, completedAtMillis,
                failures + 1, "snapshot " + id + ": " + why, completed, maxPauseNanos, totalDurationNanos,
                maxDurationNanos, heldNanos, failedInARow + 1);
    }

    /**
     * @param held how long this snapshot was held back before it started
     * @return this status after one more completed snapshot, which becomes the last
     */
    public SnapshotStatus withCompleted(long id, long committed, long duration, long size, long pause, long atMillis,
            long held) {
        return new SnapshotStatus(id, committed, duration, size, pause, atMillis, failures, lastFailure, completed + 1,
                Math.max(maxPauseNanos, pause), totalDurationNanos + duration, Math.max(maxDurationNanos, duration),
                heldNanos + held, 0);
    }

    /** @return the mean duration of the snapshots completed since start, 0 before the first */
    public long meanDurationNanos() {
        return completed == 0 ? 0 : totalDurationNanos / completed;
    }
}
