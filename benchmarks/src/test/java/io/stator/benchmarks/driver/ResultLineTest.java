package io.stator.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The result line's exact format, for passing and failing runs. */
class ResultLineTest {
    private static final RunSettings SETTINGS = new RunSettings(4, 2, 2, 1000, 10, 0, 90, false);

    @Test
    void aCheckedRunEndsWithOkTrue() {
        LatencyRecorder latencies = new LatencyRecorder(4);
        for (long ms = 1; ms <= 4; ms++) {
            latencies.record(ms * 1_000_000);
        }
        RunResult result = new RunResult(ReaderMode.EXACTLY_ONCE, 4, 2.0, latencies, 7, List.of(), 3, 1.25, 2, 40.5, 20.25, 61.0, 3.5);

        assertEquals("W1 embedded-counter msgs=4 keys=2 partitions=2 seconds=2.000 msgs_per_s=2 p50_ms=2.000"
                + " p99_ms=4.000 cpu_us_per_msg=3.500 max_gc_pause_ms=7 snapshots=3 max_snapshot_pause_ms=1.250 snapshot_stalls=2 last_snapshot_ms=40.500"
                + " mean_snapshot_ms=20.250 max_snapshot_ms=61.000 ok=true", ResultLine.throughput(Workload.W1, SETTINGS, result));
    }

    @Test
    void aFailedRunEndsWithOkFalseAndItsReasons() {
        RunResult result = new RunResult(ReaderMode.EXACTLY_ONCE, 3, 1.5, new LatencyRecorder(0), 0,
                List.of("1 of 4 messages produced no egress record", "final per-key counts sum to 3, expected 4"), 0, 0, 0, 0, 0, 0, Double.NaN);

        assertEquals("W3 chain msgs=4 keys=2 partitions=2 seconds=1.500 msgs_per_s=2 p50_ms=n/a p99_ms=n/a"
                + " cpu_us_per_msg=n/a max_gc_pause_ms=0 snapshots=0 max_snapshot_pause_ms=0.000 snapshot_stalls=0 last_snapshot_ms=0.000 mean_snapshot_ms=0.000 max_snapshot_ms=0.000 ok=false reason=\"1 of 4 messages produced no egress record;"
                + " final per-key counts sum to 3, expected 4\"", ResultLine.throughput(Workload.W3, SETTINGS, result));
    }

    @Test
    void theRatioIsTheWorkloadsThroughputOverW0s() {
        RunResult w0 = new RunResult(ReaderMode.EXACTLY_ONCE, 4, 1.0, new LatencyRecorder(0), 0, List.of(), 0, 0, 0, 0, 0, 0, Double.NaN);
        RunResult w1 = new RunResult(ReaderMode.EXACTLY_ONCE, 4, 2.0, new LatencyRecorder(0), 0, List.of(), 0, 0, 0, 0, 0, 0, Double.NaN);

        assertEquals("W1/W0 ratio_vs_W0=0.500", ResultLine.ratio(Workload.W1, w1, w0));
    }
}
