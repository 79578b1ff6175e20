package io.stator.benchmarks.driver;

import java.util.List;

/**
 * What one run measured through one reader.
 *
 * @param mode          how the egress was read
 * @param delivered     distinct messages that came out as egress records
 * @param seconds       from the first append to the last egress record read (or to the time limit)
 * @param latencies     append-to-visible latency of each record read
 * @param maxGcPauseMs  the longest GC pause during the run
 * @param problems      what the check found wrong; empty means {@code ok=true}
 * @param snapshots     snapshots completed during the run
 * @param maxSnapshotPauseMs the longest a partition thread was held up by a snapshot: taking its part, or a stall
 *                      waiting for a background checkpoint
 * @param snapshotStalls how many such stalls there were, over all partitions
 * @param lastSnapshotMs the last snapshot's duration, from its barrier to its manifest
 * @param meanSnapshotMs the mean duration of the snapshots completed during the run: how long exactly-once output
 *                      waits beyond the interval, on average
 * @param maxSnapshotMs the longest of them
 * @param cpuMicrosPerMessage the process's CPU time (every thread: producer, partitions, readers, snapshots, JIT,
 *                      GC) from the producer's start until the readers finished, over the messages appended; NaN if
 *                      the JVM cannot tell. Unlike {@code msgs_per_s} it does not count waiting (for a commit step,
 *                      say); on a shared host it still varies with the host's speed per instruction
 */
record RunResult(ReaderMode mode, long delivered, double seconds, LatencyRecorder latencies, long maxGcPauseMs,
        List<String> problems, long snapshots, double maxSnapshotPauseMs, long snapshotStalls, double lastSnapshotMs,
        double meanSnapshotMs, double maxSnapshotMs, double cpuMicrosPerMessage) {

    /** @return a run that could not be carried out at all */
    static RunResult failed(ReaderMode mode, String problem) {
        return new RunResult(mode, 0, 0, new LatencyRecorder(0), 0, List.of(problem), 0, 0, 0, 0, 0, 0, Double.NaN);
    }

    /** @return whether the output was checked and found exactly right */
    boolean ok() {
        return problems.isEmpty();
    }

    /** @return messages per second over {@link #seconds()}, or 0 if no time passed */
    double msgsPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }
}
