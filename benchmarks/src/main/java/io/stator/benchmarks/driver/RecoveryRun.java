package io.stator.benchmarks.driver;

import io.stator.runtime.ChildJvmLog;
import io.stator.runtime.JvmFlags;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import io.stator.sdk.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * W5, recovery: build {@code keys} counters (one message per key) on a data folder in a child JVM
 * ({@link RecoveryBuild}), kill it with SIGKILL once a periodic snapshot holds them all, start again in this JVM
 * and time from the start to the first processed record; report the newest snapshot's size per counter and check
 * that the restored counts are exact. The restart restores what a crash leaves: the last periodic snapshot, with
 * its changelog to replay. One result line:
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
            buildSeconds = buildAndKill(settings, dir, deadline);
            snapshotBytes = newestSnapshotBytes(dir.resolve("data").resolve("snapshots"));

            long restart = System.nanoTime();
            try (StatorNode node = StatorNode.start(
                    RecoveryBuild.config(settings.partitions(), settings.snapshotMillis()), dir.resolve("data"), "127.0.0.1", 0)) {
                byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH];
                ProbeDescriptor.writeIngress(probe, keys.size(), System.nanoTime());
                RecoveryBuild.append(node, keys, 0, probe);
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

    /**
     * Runs {@link RecoveryBuild} in a child JVM with the launcher's flags and heap, waits for its
     * {@link RecoveryBuild#BUILT_LINE}, then kills it with SIGKILL.
     *
     * @return the build's seconds, as the child measured them
     * @throws IllegalStateException with the end of the child's log if it fails or misses the deadline
     */
    private static double buildAndKill(RunSettings settings, Path dir, long deadlineNanos) throws InterruptedException {
        Path data = dir.resolve("data");
        Path out = dir.resolve("build.out");
        Path log = dir.resolve("build.log");
        long secondsLeft = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - System.nanoTime()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.addAll(JvmFlags.classDataSharing());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RecoveryBuild.class.getName());
        command.add(data.toString());
        command.add(Integer.toString(settings.keys()));
        command.add(Integer.toString(settings.partitions()));
        command.add(Long.toString(settings.snapshotMillis()));
        command.add(Long.toString(secondsLeft));
        Process child;
        try {
            Files.createDirectories(data);
            child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the build JVM: " + e.getMessage(), e);
        }
        try {
            while (System.nanoTime() < deadlineNanos && child.isAlive()) {
                String built = builtLine(out);
                if (built != null) {
                    return Double.parseDouble(built.substring(RecoveryBuild.BUILT_LINE.length()).trim());
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException((child.isAlive() ? "the build did not finish within the time limit"
                    : "the build JVM exited with status " + child.exitValue()) + "; its log ends: "
                    + ChildJvmLog.tail(log, 3));
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String builtLine(Path out) {
        for (String line : ChildJvmLog.lines(out)) {
            if (line.startsWith(RecoveryBuild.BUILT_LINE)) {
                return line;
            }
        }
        return null;
    }

    private static boolean awaitCalls(Stator stator, long calls, long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if (stator.callsCompleted() >= calls) {
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
