package io.stator.runtime.ops;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process and its JVM as an operator sees them next to the runtime's own numbers: CPU, file descriptors
 * (which the HTTP connections, the logs' memory maps and RocksDB's files share), resident memory, heap, GC and
 * threads. Read through the platform MXBeans once per scrape; a figure the platform does not offer is -1 and is
 * left out of the exposition.
 *
 * @param cpuNanos          CPU time the process has used, all threads, user and system
 * @param startMillis       when the JVM started (Unix time)
 * @param openFds           file descriptors open now
 * @param maxFds            the descriptor limit ({@code ulimit -n})
 * @param residentBytes     resident set size (Linux: {@code VmRSS} of {@code /proc/self/status})
 * @param heapUsedBytes     heap in use, garbage not yet collected included
 * @param heapMaxBytes      the heap's limit ({@code -Xmx})
 * @param nonHeapUsedBytes  code cache, metaspace and the JVM's other non-heap pools in use
 * @param threads           live threads
 * @param collectors        one entry per garbage collector
 * @param bufferPools       NIO's direct and mapped buffer pools
 */
record ProcessSample(long cpuNanos, long startMillis, long openFds, long maxFds, long residentBytes,
        long heapUsedBytes, long heapMaxBytes, long nonHeapUsedBytes, int threads, List<Collector> collectors,
        List<BufferPool> bufferPools) {

    /** A garbage collector's collections and their summed time, since start. */
    record Collector(String name, long collections, long millis) {
    }

    /** A buffer pool's buffers and the memory they hold. */
    record BufferPool(String name, long count, long usedBytes) {
    }

    private static final Path STATUS = Path.of("/proc/self/status");

    /** Reads the process now. Any thread. */
    static ProcessSample take() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long cpu = -1;
        long open = -1;
        long max = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpu = sun.getProcessCpuTime();
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            open = unix.getOpenFileDescriptorCount();
            max = unix.getMaxFileDescriptorCount();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        List<Collector> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(new Collector(gc.getName(), gc.getCollectionCount(), gc.getCollectionTime()));
        }
        List<BufferPool> pools = new ArrayList<>();
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            pools.add(new BufferPool(pool.getName(), pool.getCount(), pool.getMemoryUsed()));
        }
        return new ProcessSample(cpu, ManagementFactory.getRuntimeMXBean().getStartTime(), open, max,
                readResidentBytes(), heap.getUsed(), heap.getMax(), nonHeap.getUsed(),
                ManagementFactory.getThreadMXBean().getThreadCount(), List.copyOf(collectors), List.copyOf(pools));
    }

    /** @return the resident set size from {@code /proc/self/status}, or -1 where there is none (not Linux) */
    private static long readResidentBytes() {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) { // "VmRSS:     123456 kB"
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // a format this does not know: left out, not guessed
        }
        return -1;
    }
}
