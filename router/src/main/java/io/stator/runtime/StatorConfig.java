package io.stator.runtime;

import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.state.InMemoryStateBackend;
import io.stator.state.KeyGroups;
import io.stator.state.StateBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Everything a {@link Stator} runtime is made from: fluent setters, then {@link #start()}. {@link #conclude()}
 * validates the settings and fills in defaults; {@code start} calls it.
 *
 * <pre>{@code
 * Stator stator = Stator.builder().withFunction(Greeter.SPEC).partitions(2).start();
 * }</pre>
 */
public final class StatorConfig {
    /** Default of {@link #snapshotWhenQuiet}, in milliseconds. */
    public static final long DEFAULT_SNAPSHOT_QUIET_MILLIS = 10;
    /** The default {@link #maxIngressLag}: a million documents of the ingress log. */
    public static final long DEFAULT_MAX_INGRESS_LAG = 1_000_000;
    /** The most {@link #maxHttpConnections} defaults to, on a process allowed enough file descriptors. */
    public static final int DEFAULT_MAX_HTTP_CONNECTIONS = 1000;
    /** The default {@link #httpIdleTimeout}: two minutes. */
    public static final java.time.Duration DEFAULT_HTTP_IDLE_TIMEOUT = java.time.Duration.ofMinutes(2);

    private int partitions = Runtime.getRuntime().availableProcessors();
    private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
    private int inboxCapacity = 1 << 20;
    private int ingressQueueCapacity = 8192;
    private ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    private Supplier<IdleStrategy> idleStrategy = StatorConfig::defaultIdleStrategy;
    private Clock clock = Clock.SYSTEM;
    private StateBackend stateBackend;
    private EgressSink egress;
    private long snapshotIntervalMillis = 1000;
    private long snapshotQuietMillis = DEFAULT_SNAPSHOT_QUIET_MILLIS;
    private long startEpoch = 1;
    private io.stator.ingress.IngressLog ingressLog;
    private io.stator.state.SnapshotStore snapshotStore;
    private int retainedSnapshots = 3;
    private int stateCacheEntries = io.stator.state.RocksDbStateConfig.DEFAULT_CACHE_MAX_ENTRIES;
    private java.time.Duration egressRetention = java.time.Duration.ZERO;
    private long maxIngressLag = DEFAULT_MAX_INGRESS_LAG;
    private int maxEgresses = io.stator.egress.EgressLogs.DEFAULT_MAX_LOGS;
    private java.time.Duration httpIdleTimeout = DEFAULT_HTTP_IDLE_TIMEOUT;
    /** 0 until set: the default is looked up (in the platform's MXBean) only by a node that listens. */
    private int maxHttpConnections;
    private long stateChangelogPartBytes = io.stator.state.RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES;
    private io.stator.runtime.snapshot.RestoredSnapshot restoreFrom;
    private String ingressLogId;
    private final Map<TypeName, StatefulFunctionSpec> functions = new LinkedHashMap<>();
    private final java.util.List<io.stator.remote.client.RemoteEndpointSpec> remoteEndpoints = new java.util.ArrayList<>();
    private int maxConcurrentRemoteCalls = 64;
    private int maxQueuedRemoteInvocations = 1_000_000;
    private io.stator.remote.client.RemoteEndpointRegistry endpointRegistry;
    private boolean adminStateReads;
    private boolean concluded;
    private java.util.function.BiConsumer<String, Throwable> onThreadDeath = (thread, error) -> { };

    StatorConfig() {
    }

    /** Number of partitions (threads); default: the number of cores. */
    public StatorConfig partitions(int partitions) {
        this.partitions = partitions;
        return this;
    }

    /** Number of key groups, the unit of state placement; default 128. Fixed for the life of the state. */
    public StatorConfig maxParallelism(int maxParallelism) {
        this.maxParallelism = maxParallelism;
        return this;
    }

    /**
     * Bytes of each partition's inbox ring, a power of two; default 1 MiB. A message over 1/8 of it goes from one
     * partition to another by reference instead, with a small record in the ring.
     */
    public StatorConfig inboxCapacity(int bytes) {
        this.inboxCapacity = bytes;
        return this;
    }

    /** Messages each partition's in-process ingress queue holds before {@link Stator#send} waits; default 8192. */
    public StatorConfig ingressQueueCapacity(int messages) {
        this.ingressQueueCapacity = messages;
        return this;
    }

    /** How partitions run; default {@link ThreadingMode#DEDICATED}. */
    public StatorConfig threadingMode(ThreadingMode mode) {
        this.threadingMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * The idle strategy of each partition thread; default {@link io.stator.runtime.internal.PartitionIdle}: it parks
     * at once, for 50 µs doubling up to 1 ms, and whoever gives the partition work (an ingress append in this
     * process, another partition, a remote reply, a snapshot barrier) wakes it. Another strategy is not woken: its
     * partition finds new work at its next look.
     */
    public StatorConfig idleStrategy(Supplier<IdleStrategy> idleStrategy) {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return this;
    }

    /*
     * Parks at once, with no spins or yields: each spin or yield runs a whole empty duty cycle (the ingress tailer's
     * poll included), and at a moderate rate (W4 at 40,000 msgs/s) the former 64 spins and 16 yields after every
     * idle cycle doubled each partition's CPU, CPU the snapshot writers waited for, with no latency gained
     * (RESULTS.md, "Idle CPU of the runtime threads"). Woken by its input, a partition need not look often by
     * itself (RESULTS.md, "Session 23").
     */
    private static IdleStrategy defaultIdleStrategy() {
        return new io.stator.runtime.internal.PartitionIdle();
    }

    /** The clock for delayed messages and state expiry; default the system clock. */
    public StatorConfig clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Called, on the failing thread, when a partition's or the snapshot coordinator's thread stops for an
     * {@link Error} (an {@code InternalError} from a memory-mapped log on a full disk, an {@code OutOfMemoryError}):
     * the error is logged either way, but the runtime makes no more progress (no snapshot completes, so no output
     * commits) until it is restarted, which restores the last snapshot. A {@code StatorNode} also calls it when an
     * HTTP ingress request fails with such an error (the ingress log then takes no more appends). {@code ./stator
     * run} exits then. Default: nothing more than the log line.
     *
     * @param handler receives what failed (e.g. {@code stator-partition-1}, or {@code the HTTP ingress (...)}) and the
     *                error; a partition's or the coordinator's thread reports once, HTTP ingress requests each time
     */
    public StatorConfig onThreadDeath(java.util.function.BiConsumer<String, Throwable> handler) {
        this.onThreadDeath = Objects.requireNonNull(handler, "handler");
        return this;
    }

    java.util.function.BiConsumer<String, Throwable> onThreadDeath() {
        return onThreadDeath;
    }

    /** Where keyed state lives; default in memory. The runtime closes it. */
    public StatorConfig stateBackend(StateBackend backend) {
        this.stateBackend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /** Where egress records go; default an {@link InMemoryEgress}. The runtime closes it. */
    public StatorConfig egress(EgressSink egress) {
        this.egress = Objects.requireNonNull(egress, "egress");
        return this;
    }

    /**
     * How often the runtime takes a snapshot, which also commits the output before it to read-committed egress
     * readers; default 1 s. 0 means only on request and when the runtime stops.
     */
    public StatorConfig snapshotInterval(java.time.Duration interval) {
        this.snapshotIntervalMillis = interval.toMillis();
        return this;
    }

    /**
     * Also start a snapshot early once egress output has been still this long, if some is waiting for a commit and
     * a quarter interval has passed since the last snapshot started: the last records of a burst then reach
     * read-committed readers within tens of milliseconds instead of at the next interval. A steady stream of
     * output keeps the interval. Default {@value #DEFAULT_SNAPSHOT_QUIET_MILLIS} ms; 0 turns it off, and so does a
     * {@link #snapshotInterval} of 0 (snapshots only on request and at the stop).
     */
    public StatorConfig snapshotWhenQuiet(java.time.Duration quiet) {
        this.snapshotQuietMillis = quiet.toMillis();
        return this;
    }

    /**
     * Where snapshots go. Without a store, snapshots still run (they commit output and flush state) but keep no
     * copy: nothing to recover from.
     */
    public StatorConfig snapshotStore(io.stator.state.SnapshotStore store) {
        this.snapshotStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * The most state values one partition keeps in memory (its write-back cache) when a {@link StatorNode} builds
     * the RocksDB backend; the rest is read from RocksDB. Default 100,000.
     */
    public StatorConfig stateCacheEntries(int entries) {
        this.stateCacheEntries = entries;
        return this;
    }

    /** @return the most state values a partition's cache keeps, for the backend a {@link StatorNode} builds */
    public int stateCacheEntries() {
        return stateCacheEntries;
    }

    /**
     * How long a {@link StatorNode} keeps egress output on disk at least: a file of an egress log (an hour of it) is
     * deleted once it is this old and all its output is committed or aborted. Zero (the default) keeps everything.
     */
    public StatorConfig egressRetention(java.time.Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("egress retention must not be negative, was " + retention);
        }
        this.egressRetention = retention;
        return this;
    }

    /** @return how long a {@link StatorNode} keeps egress output at least; zero keeps everything */
    public java.time.Duration egressRetention() {
        return egressRetention;
    }

    /**
     * The most documents of the ingress log (a record, or a batch of records) that a partition of a
     * {@link StatorNode} may have left to read before the node's HTTP ingress refuses new ones with 503, until the
     * partitions catch up. Zero: no bound. Default {@value #DEFAULT_MAX_INGRESS_LAG}.
     */
    public StatorConfig maxIngressLag(long documents) {
        if (documents < 0) {
            throw new IllegalArgumentException("the ingress lag bound must not be negative, was " + documents);
        }
        this.maxIngressLag = documents;
        return this;
    }

    /** @return the ingress lag, in documents, over which a {@link StatorNode}'s HTTP ingress refuses; 0: none */
    public long maxIngressLag() {
        return maxIngressLag;
    }

    /**
     * The most egress logs a {@link StatorNode} keeps open (the dead-letter egress and those found on disk count): a
     * call that emits to one more fails before its effects and its message goes to the dead letters. Default
     * {@value io.stator.egress.EgressLogs#DEFAULT_MAX_LOGS}.
     */
    public StatorConfig maxEgresses(int logs) {
        if (logs < 1) {
            throw new IllegalArgumentException("maxEgresses must be at least 1, was " + logs);
        }
        this.maxEgresses = logs;
        return this;
    }

    /** @return the most egress logs a {@link StatorNode} keeps open */
    public int maxEgresses() {
        return maxEgresses;
    }

    /**
     * The most connections a {@link StatorNode}'s HTTP API holds open at once, event-stream readers included. Each
     * is a file descriptor, which the logs and RocksDB need too: beyond the bound the node accepts no more until
     * one closes (a client's connection waits in the listen backlog, then its own timeout), instead of running
     * out of descriptors. Default {@value #DEFAULT_MAX_HTTP_CONNECTIONS}, or a quarter of the process's descriptor
     * limit if that is lower.
     */
    public StatorConfig maxHttpConnections(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("maxHttpConnections must be at least 1, was " + connections);
        }
        this.maxHttpConnections = connections;
        return this;
    }

    /** @return the most connections a {@link StatorNode}'s HTTP API holds open */
    public int maxHttpConnections() {
        return maxHttpConnections > 0 ? maxHttpConnections : defaultMaxHttpConnections();
    }

    /** @return {@value #DEFAULT_MAX_HTTP_CONNECTIONS}, or a quarter of the descriptor limit if lower (at least 16) */
    public static int defaultMaxHttpConnections() {
        long limit = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
        return limit <= 0 ? DEFAULT_MAX_HTTP_CONNECTIONS
                : (int) Math.max(16, Math.min(DEFAULT_MAX_HTTP_CONNECTIONS, limit / 4));
    }

    /**
     * How long a client of a {@link StatorNode}'s HTTP API may keep the node waiting for bytes (a request's headers,
     * the rest of its body, or the next request on a kept-alive connection) before the node closes the connection:
     * a client stalled mid-request holds a socket no longer than this. Event streams are not affected (the node
     * waits for nothing from their clients), nor are requests the node is working on. Default two minutes.
     */
    public StatorConfig httpIdleTimeout(java.time.Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("the HTTP idle timeout must be at least 1 ms, was " + timeout);
        }
        this.httpIdleTimeout = timeout;
        return this;
    }

    /** @return how long a {@link StatorNode}'s HTTP API waits for a client's next bytes */
    public java.time.Duration httpIdleTimeout() {
        return httpIdleTimeout;
    }

    /**
     * The most bytes of one changelog file in a snapshot, for the backend a {@link StatorNode} builds; see
     * {@link io.stator.state.RocksDbStateConfig#changelogPartBytes()}. Default (and most) 8 MiB, least 4 KiB.
     */
    public StatorConfig stateChangelogPartBytes(long bytes) {
        this.stateChangelogPartBytes = bytes;
        return this;
    }

    /** @return the most bytes of one changelog file, for the backend a {@link StatorNode} builds */
    public long stateChangelogPartBytes() {
        return stateChangelogPartBytes;
    }

    /** Complete snapshots to keep; default 3. */
    public StatorConfig retainedSnapshots(int count) {
        this.retainedSnapshots = count;
        return this;
    }

    /**
     * Starts from a restored snapshot: its unfinished messages, channel state and delayed messages run again, and
     * ingress reading resumes where it recorded. The state backend must already hold the snapshot's state.
     */
    public StatorConfig restoreFrom(io.stator.runtime.snapshot.RestoredSnapshot snapshot) {
        this.restoreFrom = Objects.requireNonNull(snapshot, "snapshot");
        return this;
    }

    /** The first epoch; must be above every epoch already in the egress (recovery sets it). Default 1. */
    public StatorConfig startEpoch(long epoch) {
        this.startEpoch = epoch;
        return this;
    }

    /**
     * Reads input from a durable ingress log: each partition reads its own key groups from it.
     *
     * @param logId the log's identity, recorded in snapshots so a restore can tell whether their ingress
     *              positions refer to this log
     */
    public StatorConfig ingressLog(io.stator.ingress.IngressLog log, String logId) {
        this.ingressLog = Objects.requireNonNull(log, "log");
        this.ingressLogId = Objects.requireNonNull(logId, "logId");
        return this;
    }

    /**
     * Adds an embedded function type.
     *
     * @throws IllegalArgumentException if a function of the same type was already added
     */
    public StatorConfig withFunction(StatefulFunctionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (functions.putIfAbsent(spec.typeName(), spec) != null) {
            throw new IllegalArgumentException("function type " + spec.typeName() + " is defined twice");
        }
        return this;
    }

    /**
     * Adds a remote HTTP endpoint: the function types it matches are called over StateFun's request-reply
     * protocol. An embedded function of the same type wins.
     */
    public StatorConfig withRemoteEndpoint(io.stator.remote.client.RemoteEndpointSpec endpoint) {
        remoteEndpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
        return this;
    }

    /** Whether the admin API may read an address's state ({@code GET /v1/admin/state/...}); default off. */
    public StatorConfig adminStateReads(boolean enabled) {
        this.adminStateReads = enabled;
        return this;
    }

    public boolean adminStateReads() {
        return adminStateReads;
    }

    /** HTTP calls to remote functions in flight at once, over all partitions; default 64 (W2 ran 78% faster than with 1024: fewer connections for OkHttp to scan, larger batches per address). */
    public StatorConfig maxConcurrentRemoteCalls(int calls) {
        this.maxConcurrentRemoteCalls = calls;
        return this;
    }

    /**
     * Remote invocations the runtime holds queued (behind an address's batch in flight, or waiting for a call slot),
     * over all partitions, before a partition stops reading ingress; default 1,000,000. Each partition gets an equal
     * share. Without it only {@code maxNumBatchRequests} per address bounds the backlog, so memory, and every
     * snapshot, grows with the number of busy addresses.
     */
    public StatorConfig maxQueuedRemoteInvocations(int invocations) {
        this.maxQueuedRemoteInvocations = invocations;
        return this;
    }

    /**
     * Validates the settings and fills in defaults.
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public StatorConfig conclude() {
        if (concluded) {
            return this;
        }
        KeyGroups.validate(partitions, maxParallelism);
        if (!BitUtil.isPowerOfTwo(inboxCapacity) || inboxCapacity < 1024) {
            throw new IllegalArgumentException("inboxCapacity must be a power of two of at least 1024 bytes, was "
                    + inboxCapacity);
        }
        if (ingressQueueCapacity < 2) {
            throw new IllegalArgumentException("ingressQueueCapacity must be at least 2, was " + ingressQueueCapacity);
        }
        if (snapshotIntervalMillis < 0) {
            throw new IllegalArgumentException("snapshotInterval must not be negative, was " + snapshotIntervalMillis + " ms");
        }
        if (snapshotQuietMillis < 0) {
            throw new IllegalArgumentException("snapshotWhenQuiet must not be negative, was " + snapshotQuietMillis
                    + " ms");
        }
        if (retainedSnapshots < 1) {
            throw new IllegalArgumentException("retainedSnapshots must be at least 1, was " + retainedSnapshots);
        }
        if (stateCacheEntries < 1) {
            throw new IllegalArgumentException("stateCacheEntries must be positive, was " + stateCacheEntries);
        }
        if (restoreFrom != null && restoreFrom.maxParallelism() != maxParallelism) {
            throw new IllegalArgumentException("the snapshot has maxParallelism " + restoreFrom.maxParallelism()
                    + " but the runtime is configured with " + maxParallelism);
        }
        if (startEpoch < 1) {
            throw new IllegalArgumentException("startEpoch must be at least 1, was " + startEpoch);
        }
        if (maxConcurrentRemoteCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentRemoteCalls must be positive, was " + maxConcurrentRemoteCalls);
        }
        if (maxQueuedRemoteInvocations < partitions) {
            throw new IllegalArgumentException("maxQueuedRemoteInvocations must be at least the partition count ("
                    + partitions + "), was " + maxQueuedRemoteInvocations);
        }
        if (stateBackend == null) {
            stateBackend = new InMemoryStateBackend();
        }
        if (egress == null) {
            egress = new InMemoryEgress();
        }
        endpointRegistry = io.stator.remote.client.RemoteEndpointRegistry.of(remoteEndpoints);
        concluded = true;
        return this;
    }

    /** Concludes this configuration and starts a runtime with it. */
    public Stator start() {
        return Stator.start(conclude());
    }

    public long snapshotIntervalMillis() {
        return snapshotIntervalMillis;
    }

    /** @return how long output must be still before a snapshot starts early; 0: never early */
    public long snapshotQuietMillis() {
        return snapshotQuietMillis;
    }

    public io.stator.state.SnapshotStore snapshotStore() {
        return snapshotStore;
    }

    int retainedSnapshots() {
        return retainedSnapshots;
    }

    io.stator.runtime.snapshot.RestoredSnapshot restoreFrom() {
        return restoreFrom;
    }

    public long startEpoch() {
        return startEpoch;
    }

    String ingressLogId() {
        return ingressLogId;
    }

    /** @return the durable ingress log, or null if input comes only through {@link Stator#send} */
    public io.stator.ingress.IngressLog ingressLog() {
        return ingressLog;
    }

    public int partitions() {
        return partitions;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    /** @return the ring's total size: the capacity plus Agrona's trailer */
    int inboxBufferSize() {
        return inboxCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    int ingressQueueCapacity() {
        return ingressQueueCapacity;
    }

    public ThreadingMode threadingMode() {
        return threadingMode;
    }

    Supplier<IdleStrategy> idleStrategy() {
        return idleStrategy;
    }

    public Clock clock() {
        return clock;
    }

    public StateBackend stateBackend() {
        return stateBackend;
    }

    public EgressSink egress() {
        return egress;
    }

    /** @return the remote endpoints */
    public java.util.List<io.stator.remote.client.RemoteEndpointSpec> remoteEndpoints() {
        return remoteEndpoints;
    }

    int maxConcurrentRemoteCalls() {
        return maxConcurrentRemoteCalls;
    }

    int maxQueuedRemoteInvocations() {
        return maxQueuedRemoteInvocations;
    }

    /** @return whether {@code type} names an embedded function or matches a remote endpoint */
    public boolean knowsFunctionType(TypeName type) {
        if (functions.containsKey(type)) {
            return true;
        }
        if (endpointRegistry != null) {
            return endpointRegistry.serves(type); // the live registry: endpoints added or removed while running
        }
        for (io.stator.remote.client.RemoteEndpointSpec endpoint : remoteEndpoints) {
            if (endpoint.matches(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the remote endpoints the runtime calls now, changeable while it runs (the admin API does); made
     *     from {@link #remoteEndpoints()} by {@link #conclude()}, null before
     */
    public io.stator.remote.client.RemoteEndpointRegistry remoteEndpointRegistry() {
        return endpointRegistry;
    }

    /** @return the embedded function types, by name */
    public Map<TypeName, StatefulFunctionSpec> functions() {
        return functions;
    }
}
