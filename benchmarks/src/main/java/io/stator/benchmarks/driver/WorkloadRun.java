package io.stator.benchmarks.driver;

import io.stator.egress.EgressLog;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.runtime.internal.PartitionCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a workload against a real runtime: a {@link StatorNode} on a fresh temporary data folder (Chronicle
 * ingress and egress logs, RocksDB state, snapshots that commit the egress epoch by epoch), a live
 * {@link IngressProducer} and one {@link EgressConsumer} per reader mode, each on its own thread. The run ends when
 * every consumer has read one record per message, or at the time limit; the node is then closed (which commits the
 * last epoch), each consumer reads whatever the log holds after where it stopped, and the folder is deleted.
 */
final class WorkloadRun {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadRun.class);
    /** How long past the deadline a thread may take to notice it, at most, before the run stops waiting. */
    private static final long JOIN_GRACE_MILLIS = 30_000;

    private final Workload workload;
    private final RunSettings settings;
    private final List<ReaderMode> modes;

    private WorkloadRun(Workload workload, RunSettings settings, List<ReaderMode> modes) {
        this.workload = workload;
        this.settings = settings;
        this.modes = List.copyOf(modes);
    }

    /**
     * Runs a workload once.
     *
     * @param modes one reader per mode reads the same run's egress
     * @return one result per mode, in the order of {@code modes}
     */
    static List<RunResult> execute(Workload workload, RunSettings settings, List<ReaderMode> modes) {
        Path dir;
        try {
            dir = Files.createTempDirectory("stator-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data folder: " + e.getMessage(), e);
        }
        try {
            return new WorkloadRun(workload, settings, modes).runIn(dir);
        } finally {
            io.stator.runtime.Folders.deleteQuietly(dir);
        }
    }

    private List<RunResult> runIn(Path dir) {
        KeySpace keys = new KeySpace(settings.keys());
        try (GcPauseMonitor gc = GcPauseMonitor.start();
                WorkloadTopology topology = WorkloadTopology.start(workload, keys, settings.reminders())) {
            StatorConfig config = Stator.builder()
                    .partitions(settings.partitions())
                    .snapshotInterval(Duration.ofMillis(settings.snapshotMillis()))
                    .snapshotWhenQuiet(Duration.ofMillis(settings.snapshotQuietMillis()));
            topology.configure(config);
            StatorNode node = StatorNode.start(config, dir, "127.0.0.1", 0);
            Path egressFolder = node.egressLogs().folderOf(BenchFunctions.EGRESS);
            List<EgressConsumer> consumers = new ArrayList<>();
            IngressProducer producer;
            long deadLetters;
            io.stator.runtime.snapshot.SnapshotStatus snapshotStatus = null;
            SnapshotStalls stalls = new SnapshotStalls(0, 0);
            long stoppedNanos;
            long cpuNanos;
            try {
                long deadline = System.nanoTime() + settings.timeLimitSeconds() * 1_000_000_000L;
                EgressLog log = node.egressLogs().get(BenchFunctions.EGRESS);
                List<Thread> threads = new ArrayList<>();
                for (ReaderMode mode : modes) {
                    EgressConsumer consumer = new EgressConsumer(log, mode, settings.msgs(), deadline,
                            new EgressCheck(settings.msgs(), keys, topology::egressKeyOf));
                    consumers.add(consumer);
                    threads.add(startThread(consumer, "stator-bench-egress-" + mode.label()));
                }
                long cpuAtStart = processCpuNanos();
                producer = new IngressProducer(node.ingressLog(), topology.ingressType(), keys,
                        config.maxParallelism(), settings.msgs(), settings.ratePerSecond(), deadline);
                Thread producerThread = startThread(producer, "stator-bench-producer");
                for (Thread t : threads) {
                    join(t, settings.timeLimitSeconds() * 1000 + JOIN_GRACE_MILLIS);
                }
                stoppedNanos = System.nanoTime();
                long cpuAtEnd = processCpuNanos();
                cpuNanos = cpuAtStart < 0 || cpuAtEnd < 0 ? -1 : cpuAtEnd - cpuAtStart;
                producer.stop();
                join(producerThread, JOIN_GRACE_MILLIS);
                deadLetters = deadLetters(node.stator());
                snapshotStatus = node.stator().snapshotStatus();
                stalls = SnapshotStalls.of(node.stator());
            } finally {
                node.close();
            }
            List<RunResult> results = new ArrayList<>();
            for (EgressConsumer consumer : consumers) {
                consumer.drainRest(egressFolder);
                results.add(resultOf(consumer, producer, stoppedNanos, deadLetters, gc.maxPauseMillis(), snapshotStatus,
                        stalls, cpuNanos));
            }
            return results;
        }
    }

    private RunResult resultOf(EgressConsumer consumer, IngressProducer producer, long stoppedNanos,
            long deadLetters, long maxGcPauseMs, io.stator.runtime.snapshot.SnapshotStatus snapshots,
            SnapshotStalls stalls, long cpuNanos) {
        List<String> problems = new ArrayList<>();
        EgressCheck check = consumer.check();
        if (!consumer.finished()) {
            problems.add("time limit of " + settings.timeLimitSeconds() + " s reached with " + check.records()
                    + " of " + settings.msgs() + " egress records read (" + producer.appended() + " appended)");
        }
        if (producer.failure() != null) {
            problems.add("the producer failed: " + producer.failure());
        }
        if (consumer.failure() != null) {
            problems.add("the egress reader failed: " + consumer.failure());
        }
        if (deadLetters > 0) {
            problems.add(deadLetters + " messages went to the dead-letter egress stator/dead-letters");
        }
        problems.addAll(check.problems(consumer.finished()));
        long end = consumer.finished() ? consumer.lastRecordNanos() : stoppedNanos;
        long start = producer.firstAppendNanos();
        double seconds = start == 0 ? 0 : (end - start) / 1e9;
        return new RunResult(consumer.mode(), consumer.distinctAtStop(), seconds, consumer.latencies(), maxGcPauseMs,
                List.copyOf(problems), snapshots == null ? 0 : snapshots.completed(),
                Math.max(snapshots == null ? 0 : snapshots.maxPauseNanos(), stalls.longestNanos()) / 1e6,
                stalls.count(), snapshots == null ? 0 : snapshots.durationNanos() / 1e6,
                snapshots == null ? 0 : snapshots.meanDurationNanos() / 1e6,
                snapshots == null ? 0 : snapshots.maxDurationNanos() / 1e6,
                cpuNanos < 0 || producer.appended() == 0 ? Double.NaN : cpuNanos / 1e3 / producer.appended());
    }

    /** @return the CPU time of every thread of this process so far, or -1 if the JVM cannot tell */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Waits of partition threads for a background checkpoint, over all partitions. */
    private record SnapshotStalls(long count, long longestNanos) {
        static SnapshotStalls of(Stator stator) {
            long count = 0;
            long longest = 0;
            for (io.stator.runtime.internal.Partition p : stator.partitions()) {
                io.stator.state.StateMetrics m = p.stateMetrics();
                if (m != null) {
                    count += m.snapshotStalls();
                    longest = Math.max(longest, m.longestSnapshotStallNanos());
                }
            }
            return new SnapshotStalls(count, longest);
        }
    }

    private static long deadLetters(Stator stator) {
        long total = 0;
        for (PartitionCounters counters : stator.counters()) {
            total += counters.deadLettered();
        }
        return total;
    }

    private static Thread startThread(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true); // a thread that ignores its deadline must not keep the JVM alive
        thread.start();
        return thread;
    }

    private static void join(Thread thread, long timeoutMillis) {
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
        }
        if (thread.isAlive()) {
            LOG.warn("{} is still running {} ms after it should have stopped; going on without it", thread.getName(),
                    timeoutMillis);
        }
    }
}
