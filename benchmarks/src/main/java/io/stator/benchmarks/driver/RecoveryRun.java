package io.stator.benchmarks.driver;

import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.sdk.Address;
import io.stator.state.KeyGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * W5, recovery: build {@code keys} counters (one message per key) on a data folder, stop, start again and time
 * from the start to the first processed record; report the newest snapshot's size per counter and check that the
 * restored counts are exact. Every start restores the newest snapshot, so the restart is the same restore a start
 * after a SIGKILL makes (from the last periodic snapshot instead of the stop's). One result line:
 *
 * <pre>W5 recovery keys=1000000 partitions=2 build_seconds=.. restart_ms=.. snapshot_bytes=.. bytes_per_counter=.. ok=true</pre>
 */
final class RecoveryRun {
    private RecoveryRun() {
    }

    static String run(RunSettings settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("stator-w5-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        KeySpace keys = new KeySpace(settings.keys());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeLimitSeconds());
        double buildSeconds = 0;
        double restartMillis = 0;
        long snapshotBytes = 0;
        try {
            long start = System.nanoTime();
            try (StatorNode node = StatorNode.start(config(settings), dir, "127.0.0.1", 0)) {
                byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH];
                for (int k = 0; k < keys.size(); k++) {
                    ProbeDescriptor.writeIngress(probe, k, System.nanoTime());
                    append(node, settings, keys, k, probe.clone());
                }
                if (!awaitCalls(node.stator(), keys.size(), deadline)) {
                    problems.add("the build did not finish within the time limit");
                }
            } // the stop takes a last snapshot
            buildSeconds = (System.nanoTime() - start) / 1e9;
            snapshotBytes = newestSnapshotBytes(dir.resolve("snapshots"));

            long restart = System.nanoTime();
            try (StatorNode node = StatorNode.start(config(settings), dir, "127.0.0.1", 0)) {
                byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH];
                ProbeDescriptor.writeIngress(probe, keys.size(), System.nanoTime());
                append(node, settings, keys, 0, probe);
                if (!awaitCalls(node.stator(), 1, deadline)) {
                    problems.add("no record was processed after the restart within the time limit");
                }
                restartMillis = (System.nanoTime() - restart) / 1e6;
                check(node.stator(), keys, problems);
            }
        } catch (RuntimeException | InterruptedException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            problems.add("the run failed: " + e);
        } finally {
            io.stator.runtime.Folders.deleteQuietly(dir);
        }
        StringBuilder line = new StringBuilder(160);
        line.append("W5 recovery keys=").append(keys.size()).append(" partitions=").append(settings.partitions())
                .append(" build_seconds=").append(String.format(Locale.ROOT, "%.3f", buildSeconds))
                .append(" restart_ms=").append(String.format(Locale.ROOT, "%.1f", restartMillis))
                .append(" snapshot_bytes=").append(snapshotBytes)
                .append(" bytes_per_counter=").append(String.format(Locale.ROOT, "%.1f", (double) snapshotBytes / keys.size()))
                .append(" ok=").append(problems.isEmpty());
        if (!problems.isEmpty()) {
            line.append(" reason=\"").append(String.join("; ", problems).replace('"', '\'')).append('"');
        }
        return line.toString();
    }

    private static StatorConfig config(RunSettings settings) {
        return Stator.builder().partitions(settings.partitions())
                .snapshotInterval(Duration.ofMillis(settings.snapshotMillis()))
                .withFunction(BenchFunctions.counter(BenchFunctions.COUNTER));
    }

    private static void append(StatorNode node, RunSettings settings, KeySpace keys, int key, byte[] probe) {
        Address target = new Address(BenchFunctions.COUNTER, keys.id(key));
        node.ingressLog().append(KeyGroups.keyGroupFor(target, node.stator().config().maxParallelism()), target,
                ProbeDescriptor.TYPE, probe, null);
    }

    private static boolean awaitCalls(Stator stator, long calls, long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            long done = 0;
            for (PartitionCounters c : stator.counters()) {
                done += c.callsCompleted();
            }
            if (done >= calls) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    /** The first key counted twice (once before the stop, once after), the last once: state came back exact. */
    private static void check(Stator stator, KeySpace keys, List<String> problems)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        Map<String, String> first = stator.readState(new Address(BenchFunctions.COUNTER, keys.id(0)))
                .get(30, TimeUnit.SECONDS);
        Map<String, String> last = stator.readState(new Address(BenchFunctions.COUNTER, keys.id(keys.size() - 1)))
                .get(30, TimeUnit.SECONDS);
        if (!"2".equals(first.get(BenchFunctions.COUNT.name()))) {
            problems.add("key 0 counts " + first.get(BenchFunctions.COUNT.name()) + " after the restart, expected 2");
        }
        if (!"1".equals(last.get(BenchFunctions.COUNT.name()))) {
            problems.add("key " + (keys.size() - 1) + " counts " + last.get(BenchFunctions.COUNT.name())
                    + " after the restart, expected 1");
        }
    }

    private static long newestSnapshotBytes(Path snapshots) {
        try (Stream<Path> ids = Files.list(snapshots)) {
            Path newest = ids.filter(Files::isDirectory)
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))).orElse(null);
            if (newest == null) {
                return 0;
            }
            try (Stream<Path> files = Files.walk(newest)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
