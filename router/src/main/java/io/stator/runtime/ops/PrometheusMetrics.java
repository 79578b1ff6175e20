package io.stator.runtime.ops;

import io.stator.remote.client.RemoteCounter;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.metrics.LatencyHistogram;
import io.stator.runtime.ops.RuntimeSample.EgressSample;
import io.stator.runtime.ops.RuntimeSample.PartitionSample;
import io.stator.runtime.ops.RuntimeSample.StateSample;
import io.stator.runtime.snapshot.SnapshotStatus;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Renders a {@link RuntimeSample} as Prometheus text: the metric names, their help and their labels are defined
 * here and nowhere else (the README's metrics list mirrors this class). The runtime's names start with
 * {@code stator_}; the process's and the JVM's use the names Prometheus' client libraries use
 * ({@code process_cpu_seconds_total}, {@code jvm_memory_used_bytes}, ...), so that existing dashboards and alerts
 * read them. Times are in seconds, sizes in bytes, as Prometheus' conventions ask.
 */
final class PrometheusMetrics {
    /** The first latency bucket given its own {@code le}: {@code [2^9, 2^10)} ns, so le = 1.024 µs. */
    private static final int FIRST_LE_BUCKET = 9;
    /** The last: {@code [2^35, 2^36)} ns, le ≈ 68.7 s; slower calls only count in +Inf. */
    private static final int LAST_LE_BUCKET = 35;
    private static final String[] LE = new String[LatencyHistogram.BUCKETS];

    static {
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            LE[i] = seconds(LatencyHistogram.bucketUpperBoundNanos(i));
        }
    }

    private PrometheusMetrics() {
    }

    /** @return the sample in Prometheus' text exposition format */
    static String render(RuntimeSample sample) {
        PrometheusText text = new PrometheusText();
        runtime(text, sample);
        partitions(text, sample);
        functions(text, sample);
        remote(text, sample);
        state(text, sample);
        snapshots(text, sample);
        logs(text, sample);
        process(text, sample.process);
        return text.toString();
    }

    private static void runtime(PrometheusText text, RuntimeSample s) {
        text.gauge("stator_partitions", "Partitions (mailbox threads) of the runtime.")
                .sample("stator_partitions", s.partitions.size());
        text.gauge("stator_committed_epoch", "The last epoch whose output is committed; -1 before the first.")
                .sample("stator_committed_epoch", s.committedEpoch);
        text.counter("stator_dead_letters_total", "Messages sent to the dead-letter egress, all partitions.")
                .sample("stator_dead_letters_total", s.deadLetters());
        text.gauge("stator_function_types", "Function types that have received messages.")
                .sample("stator_function_types", s.functions.size());
    }

    private static void partitions(PrometheusText text, RuntimeSample s) {
        counter(text, s, "stator_partition_messages_processed_total", "Messages dispatched to functions.",
                PartitionSample::messagesIn);
        counter(text, s, "stator_partition_calls_completed_total", "Embedded calls whose effects were applied.",
                PartitionSample::callsCompleted);
        counter(text, s, "stator_partition_remote_messages_total", "Messages handed to remote functions.",
                PartitionSample::remoteCalls);
        counter(text, s, "stator_partition_egress_records_total", "Egress records emitted.", PartitionSample::egressOut);
        counter(text, s, "stator_partition_dead_letters_total", "Messages sent to the dead-letter egress.",
                PartitionSample::deadLettered);
        counter(text, s, "stator_partition_failed_calls_total", "Function calls that failed.", PartitionSample::failedCalls);
        counter(text, s, "stator_partition_backpressure_events_total", "Sends that found the target inbox full.",
                PartitionSample::backpressureEvents);
        gauge(text, s, "stator_partition_inbox_depth_bytes", "Bytes waiting in the partition's inbox ring.",
                PartitionSample::inboxBytes);
        gauge(text, s, "stator_partition_overflow_messages", "Messages waiting in the overflow queue for a full inbox.",
                PartitionSample::overflow);
        gauge(text, s, "stator_partition_delayed_messages", "Delayed messages not yet due.",
                PartitionSample::delayedPending);
        gauge(text, s, "stator_partition_parked_addresses", "Addresses with an asynchronous call running.",
                PartitionSample::parkedAddresses);
        gauge(text, s, "stator_partition_backpressured", "1 while the partition has stopped reading input.",
                p -> p.backpressured() ? 1 : 0);
        text.counter("stator_partition_busy_seconds_total", "Time spent in duty cycles that did work.");
        seconds(text, s, "stator_partition_busy_seconds_total", PartitionSample::busyNanos);
        text.gauge("stator_partition_max_duty_cycle_seconds", "The longest duty cycle so far.");
        seconds(text, s, "stator_partition_max_duty_cycle_seconds", PartitionSample::maxCycleNanos);
        gauge(text, s, "stator_partition_epoch", "The epoch the partition is in.", PartitionSample::epoch);
        gauge(text, s, "stator_partition_key_groups", "Key groups the partition owns.", p -> p.keyGroups().size());
    }

    private static void functions(PrometheusText text, RuntimeSample s) {
        text.counter("stator_function_messages_in_total", "Messages dispatched to the function type.");
        for (FunctionSample f : s.functions) {
            text.sample("stator_function_messages_in_total", f.messagesIn(), "function", f.type().asString(), "kind", f.kind());
        }
        text.counter("stator_function_messages_out_total", "Messages the function type's calls sent: to=local (same"
                + " partition), to=remote (another partition), to=egress (egress records).");
        for (FunctionSample f : s.functions) {
            String type = f.type().asString();
            text.sample("stator_function_messages_out_total", f.sentLocal(), "function", type, "kind", f.kind(), "to", "local")
                    .sample("stator_function_messages_out_total", f.sentToOtherPartitions(), "function", type, "kind",
                            f.kind(), "to", "remote")
                    .sample("stator_function_messages_out_total", f.egress(), "function", type, "kind", f.kind(), "to", "egress");
        }
        text.counter("stator_function_failures_total", "Calls of the function type that failed.");
        for (FunctionSample f : s.functions) {
            text.sample("stator_function_failures_total", f.failures(), "function", f.type().asString(), "kind", f.kind());
        }
        text.counter("stator_function_dead_letters_total", "Messages of the function type sent to the dead-letter egress.");
        for (FunctionSample f : s.functions) {
            text.sample("stator_function_dead_letters_total", f.deadLettered(), "function", f.type().asString(), "kind", f.kind());
        }
        text.histogram("stator_function_invocation_seconds", "Call latency (power-of-two buckets): embedded, from the"
                + " call's start to its effects applied; remote, one value per applied reply, from its batch's first"
                + " send to its effects applied.");
        for (FunctionSample f : s.functions) {
            latency(text, f);
        }
    }

    private static void latency(PrometheusText text, FunctionSample f) {
        String type = f.type().asString();
        long cumulative = 0;
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            cumulative += f.latencyBucket(i);
            if (i >= FIRST_LE_BUCKET && i <= LAST_LE_BUCKET) {
                text.sample("stator_function_invocation_seconds_bucket", cumulative, "function", type, "kind", f.kind(),
                        "le", LE[i]);
            }
        }
        text.sample("stator_function_invocation_seconds_bucket", cumulative, "function", type, "kind", f.kind(), "le", "+Inf")
                .sample("stator_function_invocation_seconds_sum", f.latencySumNanos() / 1e9, "function", type, "kind", f.kind())
                .sample("stator_function_invocation_seconds_count", cumulative, "function", type, "kind", f.kind());
    }

    private static void remote(PrometheusText text, RuntimeSample s) {
        gauge(text, s, "stator_remote_batches_in_flight", "Remote batches in flight (one per busy address).",
                PartitionSample::remoteInFlight);
        gauge(text, s, "stator_remote_invocations_queued", "Remote invocations queued behind batches in flight.",
                PartitionSample::remoteQueued);
        for (RemoteCounter counter : RemoteCounter.values()) {
            String name = "stator_remote_" + counter.name().toLowerCase(Locale.ROOT) + "_total";
            counter(text, s, name, capitalized(counter.label()) + ".", p -> p.remote(counter));
        }
        remoteByFunction(text, s);
        text.gauge("stator_remote_endpoints", "Remote endpoints the runtime calls now.")
                .sample("stator_remote_endpoints", s.endpoints.size());
        text.gauge("stator_remote_endpoint_info", "One per remote endpoint, labelled with its pattern and URL template.");
        for (RuntimeSample.EndpointSample e : s.endpoints) {
            RemoteEndpointSpec spec = e.spec();
            text.sample("stator_remote_endpoint_info", 1, "functions", spec.functions(), "url", spec.urlPathTemplate());
        }
    }

    /** The remote metrics again per remote function type, summed over the partitions. */
    private static void remoteByFunction(PrometheusText text, RuntimeSample s) {
        if (s.remoteByType.isEmpty()) {
            return;
        }
        text.gauge("stator_remote_function_batches_in_flight", "Remote batches in flight, per function type.");
        s.remoteByType.forEach((type, r) ->
                text.sample("stator_remote_function_batches_in_flight", r.inFlight(), "function", type.asString()));
        text.gauge("stator_remote_function_invocations_queued", "Remote invocations queued, per function type.");
        s.remoteByType.forEach((type, r) ->
                text.sample("stator_remote_function_invocations_queued", r.queued(), "function", type.asString()));
        for (RemoteCounter counter : RemoteCounter.values()) {
            String name = "stator_remote_function_" + counter.name().toLowerCase(Locale.ROOT) + "_total";
            text.counter(name, capitalized(counter.label()) + ", per function type.");
            s.remoteByType.forEach((type, r) -> text.sample(name, r.counts()[counter.id()], "function", type.asString()));
        }
        text.counter("stator_remote_function_reply_seconds_sum",
                "Summed time from a batch's first send to its effects applied, per function type.");
        s.remoteByType.forEach((type, r) -> text.sample("stator_remote_function_reply_seconds_sum",
                r.replyNanosSum() / 1e9, "function", type.asString()));
    }

    private static void state(PrometheusText text, RuntimeSample s) {
        if (s.partitions.stream().allMatch(p -> p.stateOrNull() == null)) {
            return; // in-memory state keeps no metrics
        }
        stateCounter(text, s, "stator_state_cache_hits_total", "Reads answered by the write-back cache.",
                StateSample::cacheHits);
        stateCounter(text, s, "stator_state_cache_misses_total", "Reads that went to RocksDB.", StateSample::cacheMisses);
        stateGauge(text, s, "stator_state_cache_hit_ratio", "Cache hits / reads; 0 before the first read.",
                StateSample::cacheHitRate);
        stateGauge(text, s, "stator_state_cache_entries", "Entries in the write-back cache.", StateSample::cacheEntries);
        stateGauge(text, s, "stator_state_cache_bytes", "Estimated heap bytes of the write-back cache.",
                StateSample::cacheBytes);
        stateGauge(text, s, "stator_state_dirty_entries", "Cache entries RocksDB has not seen yet.",
                StateSample::dirtyEntries);
        stateCounter(text, s, "stator_state_evictions_total", "Entries evicted from the cache.", StateSample::evictions);
        stateCounter(text, s, "stator_state_expired_purged_total", "Expired values deleted.", StateSample::expiredPurged);
        stateCounter(text, s, "stator_state_write_failures_total", "Writes of evicted entries RocksDB refused (a full"
                + " disk, say); the entries stay cached and dirty, and are written again.", StateSample::writeFailures);
        stateGauge(text, s, "stator_state_rocksdb_live_sst_bytes", "RocksDB live SST bytes as of the last flush.",
                StateSample::liveSstBytes);
    }

    private static void snapshots(PrometheusText text, RuntimeSample s) {
        SnapshotStatus last = s.snapshot;
        text.gauge("stator_snapshot_last_id", "Id of the last completed snapshot; -1 before the first.")
                .sample("stator_snapshot_last_id", last.lastId());
        text.gauge("stator_snapshot_last_duration_seconds", "The last completed snapshot, from its barrier to its"
                + " manifest.").sample("stator_snapshot_last_duration_seconds", last.durationNanos() / 1e9);
        text.gauge("stator_snapshot_last_size_bytes", "Bytes the last completed snapshot's state checkpoints copied.")
                .sample("stator_snapshot_last_size_bytes", last.bytes());
        text.gauge("stator_snapshot_last_pause_seconds", "The longest time a partition thread spent taking its part"
                + " of the last snapshot (freezing its dirty state, recording timers and pending messages).").sample("stator_snapshot_last_pause_seconds", last.pauseNanos() / 1e9);
        text.gauge("stator_snapshot_last_completed_timestamp_seconds", "When the last snapshot completed (Unix time);"
                + " 0 before the first.").sample("stator_snapshot_last_completed_timestamp_seconds",
                last.completedAtMillis() / 1e3);
        text.counter("stator_snapshot_failures_total", "Snapshots that failed since start.")
                .sample("stator_snapshot_failures_total", last.failures());
        text.counter("stator_snapshots_completed_total", "Snapshots completed since start.")
                .sample("stator_snapshots_completed_total", last.completed());
        text.counter("stator_snapshot_duration_seconds_total", "The durations of the snapshots completed since start,"
                + " added up (over stator_snapshots_completed_total: their mean).")
                .sample("stator_snapshot_duration_seconds_total", last.totalDurationNanos() / 1e9);
        text.counter("stator_snapshot_held_seconds_total", "How long the snapshots completed since start waited,"
                + " added up, for a partition's state store to finish writing the one before (a barrier would have"
                + " stopped that partition meanwhile).").sample("stator_snapshot_held_seconds_total",
                last.heldNanos() / 1e9);
        if (s.partitions.stream().allMatch(p -> p.stateOrNull() == null)) {
            return;
        }
        stateCounter(text, s, "stator_partition_snapshots_completed_total", "Snapshots of the partition's state that"
                + " reached the snapshot store.", StateSample::snapshotsCompleted);
        stateCounter(text, s, "stator_partition_snapshots_failed_total", "Snapshots of the partition's state that"
                + " failed.", StateSample::snapshotsFailed);
        stateGauge(text, s, "stator_partition_snapshot_last_pause_seconds", "Partition-thread time of its last"
                + " state snapshot (freezing the dirty cache entries).", st -> st.lastSnapshotSyncNanos() / 1e9);
        stateCounter(text, s, "stator_partition_snapshot_stalls_total", "Times the partition thread waited for a"
                + " snapshot's background checkpoint (its cache reached 1.5 times a bound, or the next snapshot came).",
                StateSample::snapshotStalls);
        stateGauge(text, s, "stator_partition_snapshot_longest_stall_seconds", "The longest such wait.",
                st -> st.longestSnapshotStallNanos() / 1e9);
        stateGauge(text, s, "stator_partition_snapshot_last_upload_seconds", "Background copy time of its last"
                + " successful snapshot.", st -> st.lastSnapshotAsyncNanos() / 1e9);
        stateGauge(text, s, "stator_partition_snapshot_last_size_bytes", "Bytes its last successful snapshot copied.",
                StateSample::lastSnapshotBytes);
    }

    private static void logs(PrometheusText text, RuntimeSample s) {
        if (s.ingressEndPosition >= 0) {
            text.gauge("stator_ingress_end_position", "Ingress log position after the newest record (grows with every"
                    + " append; jumps at file rolls).").sample("stator_ingress_end_position", s.ingressEndPosition);
            text.gauge("stator_ingress_first_position", "Position of the oldest ingress record still kept.")
                    .sample("stator_ingress_first_position", s.ingressFirstPosition);
        }
        if (s.partitions.stream().anyMatch(p -> p.ingressPosition() >= 0)) {
            gauge(text, s, "stator_ingress_read_position", "Where the partition's ingress reader resumes.",
                    PartitionSample::ingressPosition);
            if (s.partitions.stream().anyMatch(p -> p.ingressLag() >= 0)) {
                gauge(text, s, "stator_ingress_lag_positions", "Ingress log documents (a record, or a batch of"
                        + " records) from the partition's read position to the end of the log.", PartitionSample::ingressLag);
            }
        }
        if (s.egress.isEmpty()) {
            return;
        }
        text.gauge("stator_egress_end_offset", "Egress log offset after the newest record (records and markers).");
        for (EgressSample e : s.egress) {
            text.sample("stator_egress_end_offset", e.endOffset(), "egress", e.egress());
        }
        text.gauge("stator_egress_last_committed_epoch", "The egress log's highest committed epoch.");
        for (EgressSample e : s.egress) {
            text.sample("stator_egress_last_committed_epoch", e.lastCommittedEpoch(), "egress", e.egress());
        }
    }

    private static void process(PrometheusText text, ProcessSample p) {
        if (p.cpuNanos() >= 0) {
            text.counter("process_cpu_seconds_total", "CPU time the process has used, all threads, user and system.")
                    .sample("process_cpu_seconds_total", p.cpuNanos() / 1e9);
        }
        text.gauge("process_start_time_seconds", "When the process started (Unix time).")
                .sample("process_start_time_seconds", p.startMillis() / 1e3);
        if (p.openFds() >= 0) {
            text.gauge("process_open_fds", "File descriptors open: HTTP connections, log files and their maps,"
                    + " RocksDB's files.").sample("process_open_fds", p.openFds());
            text.gauge("process_max_fds", "The process's file-descriptor limit (ulimit -n).")
                    .sample("process_max_fds", p.maxFds());
        }
        if (p.residentBytes() >= 0) {
            text.gauge("process_resident_memory_bytes", "Resident memory: heap, JVM, RocksDB's native memory and"
                    + " the logs' mapped pages in memory.").sample("process_resident_memory_bytes", p.residentBytes());
        }
        text.gauge("jvm_memory_used_bytes", "JVM memory in use, by area (heap: collected garbage not yet"
                + " subtracted).")
                .sample("jvm_memory_used_bytes", p.heapUsedBytes(), "area", "heap")
                .sample("jvm_memory_used_bytes", p.nonHeapUsedBytes(), "area", "nonheap");
        if (p.heapMaxBytes() >= 0) {
            text.gauge("jvm_memory_max_bytes", "The heap's limit (-Xmx).")
                    .sample("jvm_memory_max_bytes", p.heapMaxBytes(), "area", "heap");
        }
        text.counter("jvm_gc_collections_total", "Garbage collections since start, by collector.");
        for (ProcessSample.Collector c : p.collectors()) {
            text.sample("jvm_gc_collections_total", c.collections(), "gc", c.name());
        }
        text.counter("jvm_gc_collection_seconds_total", "Time spent in garbage collections since start, by"
                + " collector (for G1's young and mixed collections, their pauses).");
        for (ProcessSample.Collector c : p.collectors()) {
            text.sample("jvm_gc_collection_seconds_total", c.millis() / 1e3, "gc", c.name());
        }
        text.gauge("jvm_threads_current", "Live threads.").sample("jvm_threads_current", p.threads());
        text.gauge("jvm_buffer_pool_used_bytes", "Memory held by NIO's direct and mapped buffers, by pool (the HTTP"
                + " server's buffers are direct; the logs map their files outside these pools).");
        for (ProcessSample.BufferPool b : p.bufferPools()) {
            text.sample("jvm_buffer_pool_used_bytes", b.usedBytes(), "pool", b.name());
        }
    }

    private static void counter(PrometheusText text, RuntimeSample s, String name, String help,
            ToLongFunction<PartitionSample> value) {
        text.counter(name, help);
        for (PartitionSample p : s.partitions) {
            text.sample(name, value.applyAsLong(p), "partition", Integer.toString(p.id()));
        }
    }

    private static void gauge(PrometheusText text, RuntimeSample s, String name, String help,
            ToLongFunction<PartitionSample> value) {
        text.gauge(name, help);
        for (PartitionSample p : s.partitions) {
            text.sample(name, value.applyAsLong(p), "partition", Integer.toString(p.id()));
        }
    }

    /** Writes a per-partition sample of a family already declared, converting nanoseconds to seconds. */
    private static void seconds(PrometheusText text, RuntimeSample s, String name, ToLongFunction<PartitionSample> nanos) {
        for (PartitionSample p : s.partitions) {
            text.sample(name, nanos.applyAsLong(p) / 1e9, "partition", Integer.toString(p.id()));
        }
    }

    private static void stateCounter(PrometheusText text, RuntimeSample s, String name, String help,
            ToLongFunction<StateSample> value) {
        text.counter(name, help);
        for (PartitionSample p : s.partitions) {
            if (p.stateOrNull() != null) {
                text.sample(name, value.applyAsLong(p.stateOrNull()), "partition", Integer.toString(p.id()));
            }
        }
    }

    private static void stateGauge(PrometheusText text, RuntimeSample s, String name, String help,
            ToDoubleFunction<StateSample> value) {
        text.gauge(name, help);
        for (PartitionSample p : s.partitions) {
            if (p.stateOrNull() != null) {
                text.sample(name, value.applyAsDouble(p.stateOrNull()), "partition", Integer.toString(p.id()));
            }
        }
    }

    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
