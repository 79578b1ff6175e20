package io.stator.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command line of {@code ./stator bench}. */
class BenchOptionsTest {
    @Test
    void defaultsAreWorkloadsMdsSizes() {
        BenchOptions options = BenchOptions.parse(new String[] {"w1"});

        assertEquals(Workload.W1, options.workload());
        assertEquals(new RunSettings(1_000_000, 10_000, Runtime.getRuntime().availableProcessors(), 1000, 10, 0, 80,
                false), options.settings());
        assertEquals(false, options.vsW0());
        assertEquals(BenchOptions.WARMUP_DEFAULT, options.warmupMsgs(), "the workload's default warm-up");
    }

    @Test
    void everyOptionIsRead() {
        BenchOptions options = BenchOptions.parse(new String[] {
            "W4", "msgs=1_000", "keys=7", "partitions=3", "snapshot-ms=250", "snapshot-quiet-ms=40", "rate=500",
            "time-limit-s=20", "reminders=on"});

        assertEquals(new RunSettings(1000, 7, 3, 250, 40, 500, 20, true), options.settings());
    }

    @Test
    void remindersAreOnOrOffAndOnlyForTheCounterWorkloads() {
        assertEquals(false, BenchOptions.parse(new String[] {"W1", "reminders=off"}).settings().reminders());
        assertEquals("'reminders=yes': expected reminders=on or reminders=off", assertThrows(BenchUsageException.class,
                () -> BenchOptions.parse(new String[] {"W1", "reminders=yes"})).getMessage());
        assertEquals("reminders= applies to W1 and W4, whose counters keep them; not W3", assertThrows(
                BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W3", "reminders=on"})).getMessage());
    }

    @Test
    void versusW0TakesItsValueAfterASpaceOrAnEqualsSign() {
        assertTrue(BenchOptions.parse(new String[] {"W2", "--vs", "W0"}).vsW0());
        assertTrue(BenchOptions.parse(new String[] {"W3", "--vs=w0"}).vsW0());
    }

    @Test
    void optionsThatDoNotFitTheWorkloadAreRefused() {
        assertEquals("rate= applies to W4 only; W1 appends as fast as it can",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W1", "rate=5"}))
                        .getMessage());
        assertEquals("--vs W0 compares the throughput of W1, W2 or W3, not W4",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W4", "--vs", "W0"}))
                        .getMessage());
        assertEquals("W5 kills the runtime and restores its last periodic snapshot: it needs snapshot-ms above 0",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W5", "snapshot-ms=0"}))
                        .getMessage());
        assertEquals("warmup= applies to W0 .. W4, not W5",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W5", "warmup=0"}))
                        .getMessage());
        assertEquals(0, BenchOptions.parse(new String[] {"W4", "warmup=0"}).warmupMsgs(), "W4 without a paced warm-up");
        assertEquals("--vs compares with W0 only, was 'W1'",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W2", "--vs", "W1"}))
                        .getMessage());
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("'msgs=0' is out of range: expected 1 .. 20000000",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W1", "msgs=0"}))
                        .getMessage());
        assertEquals("unknown workload 'W9': expected one of W0, W1, W2, W3, W4, W5",
                assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W9"})).getMessage());
        assertTrue(assertThrows(BenchUsageException.class, () -> BenchOptions.parse(new String[] {"W1", "speed=9"}))
                .getMessage().startsWith("unknown option 'speed=9'"));
    }
}
