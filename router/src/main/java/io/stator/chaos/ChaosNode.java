package io.stator.chaos;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import java.nio.file.Path;
import java.time.Duration;
import io.stator.runtime.internal.PartitionCounters;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of the chaos test: a {@link StatorNode} on a data folder running the chaos functions, embedded
 * and (through the driver's server) remote. It prints {@value #PORT_LINE}{@code <port>} on standard output once
 * its HTTP API is up, then runs until it is killed (SIGKILL: the point of the test) or stopped (SIGTERM: a clean
 * stop with a last snapshot).
 *
 * <pre>
 *   java ... io.stator.chaos.ChaosNode DATA_DIR REMOTE_BASE_URL PARTITIONS SNAPSHOT_INTERVAL_MS INBOX_BYTES CACHE_ENTRIES
 *       CHANGELOG_PART_BYTES
 * </pre>
 * A small inbox (a few KiB) makes partitions overflow into each other under bursts, so snapshot markers also
 * travel through the overflow queues; a small state cache makes partitions evict state to RocksDB between
 * snapshots, so snapshots carry those writes in their changelogs; small changelog parts split those changelogs
 * into several files, and make some snapshots full.
 */
public final class ChaosNode {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosNode.class);
    /** The line the node prints once it serves HTTP, followed by the port. */
    static final String PORT_LINE = "chaos-node port=";

    private ChaosNode() {
    }

    /**
     * Starts the node and waits forever.
     *
     * @param args data folder, remote base URL, partitions, snapshot interval in ms, inbox capacity in bytes,
     *             state cache entries per partition, the most bytes of one changelog file
     */
    public static void main(String[] args) throws InterruptedException {
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: ChaosNode DATA_DIR REMOTE_BASE_URL PARTITIONS SNAPSHOT_INTERVAL_MS"
                    + " INBOX_BYTES CACHE_ENTRIES CHANGELOG_PART_BYTES, got " + args.length + " arguments");
        }
        Path data = Path.of(args[0]);
        String remoteBaseUrl = args[1];
        int partitions = Integer.parseInt(args[2]);
        long snapshotMillis = Long.parseLong(args[3]);
        int inboxBytes = Integer.parseInt(args[4]);
        int cacheEntries = Integer.parseInt(args[5]);
        long changelogPartBytes = Long.parseLong(args[6]);
        StatorConfig config = Stator.builder()
                .partitions(partitions)
                .inboxCapacity(inboxBytes)
                .snapshotInterval(Duration.ofMillis(snapshotMillis))
                .stateCacheEntries(cacheEntries)
                .stateChangelogPartBytes(changelogPartBytes)
                .withFunction(ChaosFunction.EMBEDDED_SPEC)
                .withRemoteEndpoint(RemoteEndpointSpec.builder(ChaosAddresses.REMOTE.asString(),
                        remoteBaseUrl + RemoteEndpointSpec.FUNCTION_NAME_PLACEHOLDER).build());
        StatorNode node = StatorNode.start(config, data, "127.0.0.1", 0);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "chaos-node-shutdown"));
        logCountersEverySecond(node);
        System.out.println(PORT_LINE + node.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until the process is killed or stopped
    }

    /** Logs what the partitions went through, so a run's logs show the paths it exercised (overflow, parking). */
    private static void logCountersEverySecond(StatorNode node) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-node-counters");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            long snapshots = 0;
            long backpressure = 0;
            long remoteCalls = 0;
            long parked = 0;
            for (PartitionCounters c : node.stator().counters()) {
                snapshots += c.snapshots();
                backpressure += c.backpressureEvents();
                remoteCalls += c.remoteCalls();
                parked += c.parkedAddresses();
            }
            long evictions = 0;
            for (io.stator.runtime.internal.Partition p : node.stator().partitions()) {
                io.stator.state.StateMetrics state = p.stateMetrics();
                evictions += state == null ? 0 : state.evictions();
            }
            LOG.info("partition snapshots {}, backpressure events {}, remote calls {}, parked addresses now {}, state"
                    + " evictions {}", snapshots, backpressure, remoteCalls, parked, evictions);
        }, 1, 1, TimeUnit.SECONDS);
    }
}
