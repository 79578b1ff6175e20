package io.stator.benchmarks.driver;

import io.stator.state.KeyGroups;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header printed before the result lines: the command's settings, the machine, the JVM and its flags, and
 * how the runtime is set up, so two outputs can be compared side by side. Every header line starts with
 * {@code #}, so that result lines are the only lines without it.
 */
final class BenchHeader {
    private BenchHeader() {
    }

    /** @return the header lines for a command */
    static List<String> lines(BenchOptions options) {
        RunSettings s = options.settings();
        Runtime rt = Runtime.getRuntime();
        List<String> lines = new ArrayList<>(List.of(
                "# stator bench " + options.workload() + " " + options.workload().label()
                        + (options.vsW0() ? " --vs W0" : "")
                        + ": msgs=" + s.msgs() + " keys=" + s.keys() + " partitions=" + s.partitions()
                        + " snapshot-ms=" + s.snapshotMillis() + " snapshot-quiet-ms=" + s.snapshotQuietMillis()
                        + " time-limit-s=" + s.timeLimitSeconds()
                        + (s.ratePerSecond() > 0 ? " rate=" + s.ratePerSecond() : "")
                        + (s.reminders() ? " reminders=on" : "")
                        + (options.warmupMsgs() > 0 ? " warmup=" + options.warmupMsgs() : ""),
                "# machine: " + rt.availableProcessors() + " cores, " + totalMemory() + " memory, "
                        + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "# jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                        + ", max heap " + mebibytes(rt.maxMemory()) + heapNote(rt.maxMemory()) + ", GC "
                        + String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                                .map(gc -> gc.getName()).toList()),
                "# jvm flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                "# runtime: " + s.partitions() + " partitions, " + KeyGroups.DEFAULT_MAX_PARALLELISM + " key groups;"
                        + " ingress: Chronicle Queue log, appended by a live producer thread;"
                        + " state backend: RocksDB, one instance per partition;"
                        + " snapshots every " + s.snapshotMillis() + " ms (RocksDB checkpoints into the data folder),"
                        + " each committing an egress epoch;"
                        + " egress: Chronicle Queue log, exactly-once = read-committed",
                "# functions: " + WorkloadTopology.describe(options.workload())));
        if (options.vsW0()) {
            lines.add("# functions of W0, run first for ratio_vs_W0: " + WorkloadTopology.describe(Workload.W0));
        }
        return lines;
    }

    private static String totalMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return String.format(Locale.ROOT, "%.1f GiB", hotspot.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "unknown";
    }

    /** WORKLOADS.md fixes the heap at 512 MiB; a run with another heap says so, as its numbers are not comparable. */
    private static String heapNote(long maxHeap) {
        long mib = maxHeap / (1024 * 1024);
        return mib >= 480 && mib <= 520 ? "" : " (WORKLOADS.md runs with 512 MiB: STATOR_JAVA_OPTS=-Xmx512m)";
    }

    private static String mebibytes(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : (bytes / (1024 * 1024)) + " MiB";
    }
}
