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
 */
public record SnapshotStatus(long lastId, long committedEpoch, long durationNanos, long bytes, long pauseNanos,
        long completedAtMillis, long failures, String lastFailure, long completed, long maxPauseNanos) {
    /** Before any snapshot. */
    public static final SnapshotStatus NONE = new SnapshotStatus(-1, -1, 0, 0, 0, 0, 0, null, 0, 0);

    /** @return this status plus one failure */
    public SnapshotStatus withFailure(long id, String why) {
        return new SnapshotStatus(lastId, committedEpoch, durationNanos, bytes, pauseNanos, completedAtMillis,
                failures + 1, "snapshot " + id + ": " + why, completed, maxPauseNanos);
    }
}
