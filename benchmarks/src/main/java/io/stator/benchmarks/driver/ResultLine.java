package io.stator.benchmarks.driver;

import java.util.Locale;

/**
 * Formats the one result line of a run, in {@code WORKLOADS.md}'s format: id, name, then {@code key=value}
 * fields in a fixed order, {@code ok=} last but for the reason of a failure:
 * <pre>
 * W1 embedded-counter msgs=1000000 keys=10000 partitions=2 seconds=1.234 msgs_per_s=810372 p50_ms=.. p99_ms=..
 *     max_gc_pause_ms=12 ok=true   (one line)
 * </pre>
 * Latency workloads add {@code rate=} after {@code partitions=} and {@code p999_ms=} after {@code p99_ms=}.
 */
final class ResultLine {
    private ResultLine() {
    }

    /** @return the line of a throughput run (W0 .. W3) */
    static String throughput(Workload workload, RunSettings settings, RunResult result) {
        return format(workload.name(), workload.label(), settings, result, false);
    }

    /** @return the line of one of W4's readers, named {@code latency-<mode>} */
    static String latency(RunSettings settings, RunResult result) {
        return format(Workload.W4.name(), Workload.W4.label() + "-" + result.mode().label(), settings, result, true);
    }

    /** @return {@code W1/W0 ratio_vs_W0=0.620}: the workload's throughput over W0's, from the same process */
    static String ratio(Workload workload, RunResult run, RunResult w0) {
        double ratio = w0.msgsPerSecond() > 0 ? run.msgsPerSecond() / w0.msgsPerSecond() : Double.NaN;
        return workload.name() + "/W0 ratio_vs_W0=" + decimal(ratio);
    }

    private static String format(String id, String name, RunSettings s, RunResult r, boolean latencyRun) {
        StringBuilder line = new StringBuilder(200);
        line.append(id).append(' ').append(name)
                .append(" msgs=").append(s.msgs())
                .append(" keys=").append(s.keys())
                .append(" partitions=").append(s.partitions());
        if (latencyRun) {
            line.append(" rate=").append(s.ratePerSecond());
        }
        line.append(" seconds=").append(decimal(r.seconds()))
                .append(" msgs_per_s=").append(Math.round(r.msgsPerSecond()))
                .append(" p50_ms=").append(decimal(r.latencies().percentileMillis(0.50)))
                .append(" p99_ms=").append(decimal(r.latencies().percentileMillis(0.99)));
        if (latencyRun) {
            line.append(" p999_ms=").append(decimal(r.latencies().percentileMillis(0.999)));
        }
        if (!latencyRun && !r.mode().readCommitted()) {
            line.append(" reader=uncommitted"); // timed through a read-uncommitted reader (see BenchOptions)
        }
        if (s.reminders()) {
            line.append(" reminders=on"); // every key kept a delayed message pending
        }
        line.append(" cpu_us_per_msg=").append(decimal(r.cpuMicrosPerMessage()))
                .append(" max_gc_pause_ms=").append(r.maxGcPauseMs())
                .append(" snapshots=").append(r.snapshots())
                .append(" max_snapshot_pause_ms=").append(decimal(r.maxSnapshotPauseMs()))
                .append(" snapshot_stalls=").append(r.snapshotStalls())
                .append(" last_snapshot_ms=").append(decimal(r.lastSnapshotMs()))
                .append(" mean_snapshot_ms=").append(decimal(r.meanSnapshotMs()))
                .append(" max_snapshot_ms=").append(decimal(r.maxSnapshotMs()))
                .append(" ok=").append(r.ok());
        if (!r.ok()) {
            line.append(" reason=\"").append(String.join("; ", r.problems()).replace('"', '\'')).append('"');
        }
        return line.toString();
    }

    /** @return three decimals, or {@code n/a} for a value that was not measured */
    private static String decimal(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
