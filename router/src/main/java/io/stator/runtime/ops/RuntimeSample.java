package io.stator.runtime.ops;

import io.stator.egress.EgressLog;
import io.stator.ingress.IngressLog;
import io.stator.remote.client.RemoteCounter;
import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.Stator;
import io.stator.runtime.internal.Partition;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.runtime.metrics.FunctionCounters;
import io.stator.runtime.snapshot.SnapshotStatus;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroupRange;
import io.stator.state.StateMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Everything the ops endpoints report, read once from the runtime for one scrape or status poll. Reading it
 * costs the partitions nothing: their counters are plain single-writer fields that this reads racily (values may
 * be a moment stale and not consistent with each other at one instant), and nothing here takes a lock a
 * partition thread would wait on.
 */
final class RuntimeSample {
    /** Copies of one partition's counters and gauges. */
    record PartitionSample(int id, KeyGroupRange keyGroups, long messagesIn, long remoteCalls, long callsCompleted,
            long egressOut, long deadLettered, long failedCalls, long backpressureEvents, int overflow,
            int delayedPending, int parkedAddresses, int inboxBytes, boolean backpressured, long busyNanos,
            long maxCycleNanos, long epoch, int remoteInFlight, int remoteQueued, long[] remoteCounters,
            StateSample stateOrNull, long ingressPosition, long ingressLag, boolean waitingForStateWrites) {
        /** @return the value of a remote dispatcher counter */
        long remote(RemoteCounter counter) {
            return remoteCounters[counter.id()];
        }
    }

    /** Copies of one partition's {@link StateMetrics}. */
    record StateSample(long cacheHits, long cacheMisses, double cacheHitRate, int cacheEntries, long cacheBytes,
            int dirtyEntries, long evictions, long expiredPurged, long liveSstBytes, long lastSnapshotSyncNanos,
            long lastSnapshotAsyncNanos, long lastSnapshotBytes, long snapshotsCompleted, long snapshotsFailed,
            long snapshotStalls, long longestSnapshotStallNanos, long writeFailures) {
        static StateSample of(StateMetrics m) {
            return new StateSample(m.cacheHits(), m.cacheMisses(), m.cacheHitRate(), m.cacheEntries(), m.cacheBytes(),
                    m.dirtyEntries(), m.evictions(), m.expiredPurged(), m.liveSstBytes(), m.lastSnapshotSyncNanos(),
                    m.lastSnapshotAsyncNanos(), m.lastSnapshotBytes(), m.snapshotsCompleted(), m.snapshotsFailed(),
                    m.snapshotStalls(), m.longestSnapshotStallNanos(), m.writeFailures());
        }
    }

    /** A remote endpoint and the traffic of the function types it serves. */
    record EndpointSample(RemoteEndpointSpec spec, List<String> typesSeen, long messagesIn, long deadLettered) {
    }

    /** One egress log's end and commit point. */
    record EgressSample(String egress, long endOffset, long lastCommittedEpoch) {
    }

    final long timeMillis;
    final long committedEpoch;
    /** The last completed snapshot ({@link SnapshotStatus#NONE} before the first). */
    final SnapshotStatus snapshot;
    final List<PartitionSample> partitions;
    /** By type name. */
    final List<FunctionSample> functions;
    final List<EndpointSample> endpoints;
    final List<TypeName> embeddedTypes;
    /** -1 without an ingress log. */
    final long ingressEndPosition;
    final long ingressFirstPosition;
    final List<EgressSample> egress;
    /** Remote calls per function type, summed over the partitions. */
    final java.util.Map<TypeName, RemoteTypeSample> remoteByType;
    /** The process and its JVM. */
    final ProcessSample process;

    /**
     * One remote function type's calls, over all partitions.
     *
     * @param inFlight batches in flight now
     * @param queued   invocations waiting behind them
     * @param counts   {@link io.stator.remote.client.RemoteCounter} values by id
     * @param replyNanosSum summed latency of applied replies
     */
    record RemoteTypeSample(long inFlight, long queued, long[] counts, long replyNanosSum) {
    }

    private RuntimeSample(OpsSources sources, OpsOptions options) {
        Stator stator = sources.stator();
        this.timeMillis = System.currentTimeMillis();
        this.committedEpoch = stator.committedEpoch();
        this.snapshot = stator.snapshotStatus();
        this.partitions = partitions(stator.partitions(), options.ingressReadPositions(), sources.ingressLogOrNull());
        this.functions = functions(stator.partitions());
        this.embeddedTypes = List.copyOf(stator.config().functions().keySet());
        this.endpoints = endpoints(currentEndpoints(stator, options), functions);
        long[] ingress = ingressPositions(sources);
        this.ingressEndPosition = ingress[0];
        this.ingressFirstPosition = ingress[1];
        this.egress = egress(sources);
        this.remoteByType = remoteByType(stator);
        this.process = ProcessSample.take();
    }

    private static java.util.Map<TypeName, RemoteTypeSample> remoteByType(Stator stator) {
        java.util.Map<TypeName, RemoteTypeSample> out = new java.util.TreeMap<>(
                java.util.Comparator.comparing(TypeName::asString));
        int n = io.stator.remote.client.RemoteCounter.values().length;
        for (io.stator.runtime.internal.Partition p : stator.partitions()) {
            for (io.stator.remote.client.RemoteTypeCounters c : p.remoteTypeCounters()) {
                RemoteTypeSample prev = out.get(c.type());
                long[] counts = prev == null ? new long[n] : prev.counts();
                for (io.stator.remote.client.RemoteCounter counter : io.stator.remote.client.RemoteCounter.values()) {
                    counts[counter.id()] += c.count(counter);
                }
                out.put(c.type(), new RemoteTypeSample((prev == null ? 0 : prev.inFlight()) + c.inFlight(),
                        (prev == null ? 0 : prev.queued()) + c.queued(), counts,
                        (prev == null ? 0 : prev.replyNanosSum()) + c.replyNanosSum()));
            }
        }
        return out;
    }

    /** Reads the runtime now. Any thread; safe while the partitions run. */
    static RuntimeSample take(OpsSources sources, OpsOptions options) {
        return new RuntimeSample(sources, options);
    }

    /** @return the endpoints the runtime calls now: the live registry's if there is one, else the configured list */
    static List<RemoteEndpointSpec> currentEndpoints(Stator stator, OpsOptions options) {
        RemoteEndpointRegistry registry = options.endpointRegistry();
        return registry != null ? registry.endpoints() : List.copyOf(stator.config().remoteEndpoints());
    }

    /** @return messages dead-lettered on every partition */
    long deadLetters() {
        long total = 0;
        for (PartitionSample p : partitions) {
            total += p.deadLettered();
        }
        return total;
    }

    /** @return a remote dispatcher counter summed over the partitions */
    long remoteTotal(RemoteCounter counter) {
        long total = 0;
        for (PartitionSample p : partitions) {
            total += p.remote(counter);
        }
        return total;
    }

    private static List<PartitionSample> partitions(List<Partition> partitions, IntToLongFunction ingressPositions,
            IngressLog ingressLogOrNull) {
        List<PartitionSample> out = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            Partition p = partitions.get(i);
            PartitionCounters c = p.counters();
            int[] load = p.remoteLoad();
            long[] duty = p.dutyCycle();
            long[] remote = new long[RemoteCounter.values().length];
            for (RemoteCounter counter : RemoteCounter.values()) {
                remote[counter.id()] = p.remoteCount(counter);
            }
            StateMetrics state = p.stateMetrics();
            long ingressPosition = ingressPositions == null ? -1 : ingressPositions.applyAsLong(i);
            out.add(new PartitionSample(i, p.keyGroups(), c.messagesIn(), c.remoteCalls(), c.callsCompleted(),
                    c.egressOut(), c.deadLettered(), c.failedCalls(), c.backpressureEvents(), c.overflow(),
                    c.delayedPending(), c.parkedAddresses(), p.inboxBytes(), p.isBackpressuredView(), duty[0], duty[1],
                    p.epoch(), load[0], load[1], remote, state == null ? null : StateSample.of(state),
                    ingressPosition, ingressLag(ingressLogOrNull, ingressPosition), p.waitingForStateWrites()));
        }
        return List.copyOf(out);
    }

    /** @return the log documents a partition has not read yet, or -1 if unknown (no log or position, or stopping) */
    private static long ingressLag(IngressLog logOrNull, long position) {
        if (logOrNull == null || position < 0) {
            return -1;
        }
        try {
            return logOrNull.documentsFrom(position);
        } catch (IllegalStateException closed) {
            return -1;
        }
    }

    private static List<FunctionSample> functions(List<Partition> partitions) {
        Map<TypeName, FunctionSample> byType = new LinkedHashMap<>();
        for (Partition p : partitions) {
            for (FunctionCounters c : p.functionCounters()) {
                byType.computeIfAbsent(c.type(), t -> new FunctionSample(t, c.remote())).add(c);
            }
        }
        List<FunctionSample> out = new ArrayList<>(byType.values());
        out.sort(Comparator.comparing(f -> f.type().asString()));
        return List.copyOf(out);
    }

    private static List<EndpointSample> endpoints(List<RemoteEndpointSpec> specs, List<FunctionSample> functions) {
        List<EndpointSample> out = new ArrayList<>(specs.size());
        for (RemoteEndpointSpec spec : specs) {
            List<String> types = new ArrayList<>();
            long in = 0;
            long dead = 0;
            for (FunctionSample f : functions) {
                if (f.remote() && servedBy(spec, specs, f.type())) {
                    types.add(f.type().asString());
                    in += f.messagesIn();
                    dead += f.deadLettered();
                }
            }
            out.add(new EndpointSample(spec, List.copyOf(types), in, dead));
        }
        return List.copyOf(out);
    }

    /** @return whether {@code spec} is the endpoint serving {@code type}: a specific function wins over a namespace */
    private static boolean servedBy(RemoteEndpointSpec spec, List<RemoteEndpointSpec> all, TypeName type) {
        if (!spec.matches(type)) {
            return false;
        }
        if (spec.isSpecificFunction()) {
            return true;
        }
        for (RemoteEndpointSpec other : all) {
            if (other != spec && other.isSpecificFunction() && other.matches(type)) {
                return false;
            }
        }
        return true;
    }

    /** @return the ingress log's end and first position, or -1s without an (open) log */
    private static long[] ingressPositions(OpsSources sources) {
        if (sources.ingressLogOrNull() == null) {
            return new long[] {-1, -1};
        }
        try {
            return new long[] {sources.ingressLogOrNull().endPosition(), sources.ingressLogOrNull().firstPosition()};
        } catch (IllegalStateException closed) {
            return new long[] {-1, -1}; // the node is stopping
        }
    }

    private static List<EgressSample> egress(OpsSources sources) {
        if (sources.egressLogsOrNull() == null) {
            return List.of();
        }
        List<EgressSample> out = new ArrayList<>();
        for (EgressLog log : sources.egressLogsOrNull().openLogs()) {
            try {
                out.add(new EgressSample(log.egress().asString(), log.endOffset(), log.lastCommittedEpoch()));
            } catch (IllegalStateException closed) {
                // the node is stopping and closed this log; report the others
            }
        }
        out.sort(Comparator.comparing(EgressSample::egress));
        return List.copyOf(out);
    }
}
