package io.stator.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the driver end to end with tiny sizes against the real runtime (Chronicle logs, RocksDB, HTTP on loopback):
 * a functional test of the driver and its output format. It never asserts a speed.
 */
@Timeout(120)
class BenchMainSmokeTest {
    private static final String SIZES = "msgs=2000 keys=50 partitions=2 snapshot-ms=200 time-limit-s=60";
    private static final String NUMBER = "\\d+\\.\\d{3}";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"W0, pipeline-ceiling", "W1, embedded-counter", "W3, chain", "W2, remote-counter"})
    void aSmallRunPrintsAHeaderAndOneCheckedResultLine(String workload, String label) {
        Output output = bench((workload + " " + SIZES).split(" "));

        assertEquals(0, output.status, output::describe);
        List<String> results = output.resultLines();
        assertEquals(1, results.size(), output::describe);
        assertTrue(Pattern.matches(workload + " " + label + " msgs=2000 keys=50 partitions=2 seconds=" + NUMBER
                + " msgs_per_s=\\d+ p50_ms=" + NUMBER + " p99_ms=" + NUMBER + " cpu_us_per_msg=" + NUMBER + " max_gc_pause_ms=\\d+ snapshots=\\d+ max_snapshot_pause_ms=" + NUMBER + " snapshot_stalls=\\d+ last_snapshot_ms=" + NUMBER + " mean_snapshot_ms=" + NUMBER + " max_snapshot_ms=" + NUMBER + " ok=true",
                results.get(0)), output::describe);
        assertTrue(output.stdout.contains("# machine: "), output::describe);
        assertTrue(output.stdout.contains("# jvm flags: "), output::describe);
    }

    @Test
    void latencyAtAFixedRatePrintsOneLinePerReaderMode() {
        Output output = bench(("W4 rate=4000 " + SIZES).split(" "));

        assertEquals(0, output.status, output::describe);
        List<String> results = output.resultLines();
        assertEquals(2, results.size(), output::describe);
        String fields = " msgs=2000 keys=50 partitions=2 rate=4000 seconds=" + NUMBER + " msgs_per_s=\\d+ p50_ms="
                + NUMBER + " p99_ms=" + NUMBER + " p999_ms=" + NUMBER + " cpu_us_per_msg=" + NUMBER + " max_gc_pause_ms=\\d+ snapshots=\\d+ max_snapshot_pause_ms=" + NUMBER + " snapshot_stalls=\\d+ last_snapshot_ms=" + NUMBER + " mean_snapshot_ms=" + NUMBER + " max_snapshot_ms=" + NUMBER + " ok=true";
        assertTrue(Pattern.matches("W4 latency-at-least-once" + fields, results.get(0)), output::describe);
        assertTrue(Pattern.matches("W4 latency-exactly-once" + fields, results.get(1)), output::describe);
        assertEquals(2, output.stdout.lines().filter(l -> l.startsWith("# W4 paced warm-up, not measured: W4 latency-")
                && l.endsWith(" ok=true")).count(), output::describe);
    }

    @Test
    void versusW0PrintsBothRunsAndTheirRatioAfterTheirWarmUps() {
        Output output = bench(("W1 " + SIZES + " warmup=200 --vs W0").split(" "));

        assertEquals(0, output.status, output::describe);
        List<String> results = output.resultLines();
        assertEquals(3, results.size(), output::describe);
        assertTrue(results.get(0).startsWith("W0 pipeline-ceiling "), output::describe);
        assertTrue(results.get(1).startsWith("W1 embedded-counter "), output::describe);
        assertTrue(Pattern.matches("W1/W0 ratio_vs_W0=" + NUMBER, results.get(2)), output::describe);
        assertEquals(2, output.stdout.lines().filter(line -> line.startsWith("# warm-up, not measured: W")).count(),
                output::describe);
    }

    @Test
    void recoveryRestartsFromTheSnapshotWithExactCounts() {
        Output output = bench("W5", "keys=2000", "partitions=2");

        assertEquals(0, output.status, output::describe);
        List<String> results = output.resultLines();
        assertEquals(1, results.size(), output::describe);
        assertTrue(Pattern.matches("W5 recovery keys=2000 partitions=2 build_seconds=" + NUMBER + " restart_ms=\\d+\\.\\d"
                + " snapshot_bytes=\\d+ bytes_per_counter=\\d+\\.\\d ok=true", results.get(0)), output::describe);
    }

    @Test
    void countersKeepingRemindersStillCountEveryMessageOnce() {
        Output output = bench(("W1 " + SIZES + " reminders=on").split(" "));

        assertEquals(0, output.status, output::describe);
        List<String> results = output.resultLines();
        assertEquals(1, results.size(), output::describe);
        assertTrue(results.get(0).contains(" reminders=on ") && results.get(0).endsWith(" ok=true"), output::describe);
    }

    @Test
    void aBadArgumentIsAOneLineUsageError() {
        Output output = bench("W1", "msgs=lots");

        assertEquals(2, output.status);
        assertEquals("stator bench: 'msgs=lots' is not a whole number", output.stderr.strip());
    }

    private static Output bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Output(int status, String stdout, String stderr) {
        List<String> resultLines() {
            return stdout.lines().filter(line -> !line.startsWith("#")).toList();
        }

        String describe() {
            return "status " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
