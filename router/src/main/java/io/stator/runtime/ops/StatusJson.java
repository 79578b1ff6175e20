package io.stator.runtime.ops;

import io.stator.remote.client.RemoteCounter;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.metrics.LatencyHistogram;
import io.stator.runtime.ops.RuntimeSample.EgressSample;
import io.stator.runtime.ops.RuntimeSample.EndpointSample;
import io.stator.runtime.ops.RuntimeSample.PartitionSample;
import io.stator.runtime.ops.RuntimeSample.StateSample;
import io.stator.runtime.snapshot.SnapshotStatus;

/**
 * Renders a {@link RuntimeSample} as the JSON document of {@code GET /v1/status}, which the status page polls.
 * Every counter is cumulative; the page turns two polls into rates. Shape:
 * <pre>
 * {"time": ms, "committedEpoch": n, "deadLetters": n,
 *  "partitions": [{"id", "keyGroups": "a-b", "messagesIn", "callsCompleted", "egressOut", "deadLettered",
 *                  "failedCalls", "inboxBytes", "overflow", "backpressured", "backpressureEvents", "delayed",
 *                  "parked", "busyNanos", "maxCycleNanos", "epoch", "remoteInFlight", "remoteQueued",
 *                  "ingressPosition", "ingressLag", "cacheHitRate", "liveSstBytes"}],
 *  "functions": [{"type", "kind", "messagesIn", "sentLocal", "sentRemote", "egress", "failures", "deadLettered",
 *                 "latency": {"count", "sumNanos", "buckets": [40 counts, bucket i = [2^i, 2^(i+1)) ns]}}],
 *  "remote": {"inFlight", "queued", "batchesSent", "invocationsSent", "repliesApplied", "stateRoundTrips",
 *             "retries", "batchFailures", "deadLettered", "backpressureEvents"},
 *  "endpoints": [{"functions", "url", "maxNumBatchRequests", "callTimeoutMillis", "types": [..], "messagesIn",
 *                 "deadLettered"}],
 *  "snapshot": {"lastId" (-1 before the first), "committedEpoch", "durationNanos", "bytes", "pauseNanos",
 *               "completedAtMillis", "failures", "lastFailure" (or null), "completed", "meanDurationNanos",
 *               "maxDurationNanos", "heldNanos"},
 *  "snapshots": [{"partition", "completed", "failed", "lastBytes", "lastPauseNanos", "lastUploadNanos"}],
 *  "ingress": {"endPosition", "firstPosition"} | null,
 *  "egress": [{"egress", "endOffset", "lastCommittedEpoch"}]}
 * </pre>
 * Values that are unknown are -1 (e.g. {@code ingressPosition} when not wired) or null.
 */
final class StatusJson {
    private StatusJson() {
    }

    /** @return the status document */
    static String render(RuntimeSample s) {
        JsonWriter w = new JsonWriter();
        w.beginObject()
                .field("time", s.timeMillis)
                .field("committedEpoch", s.committedEpoch)
                .field("deadLetters", s.deadLetters());
        partitions(w, s);
        functions(w, s);
        remote(w, s);
        endpoints(w, s);
        snapshots(w, s);
        logs(w, s);
        return w.endObject().toString();
    }

    private static void partitions(JsonWriter w, RuntimeSample s) {
        w.name("partitions").beginArray();
        for (PartitionSample p : s.partitions) {
            StateSample st = p.stateOrNull();
            w.beginObject()
                    .field("id", p.id())
                    .field("keyGroups", p.keyGroups().first() + "-" + p.keyGroups().last())
                    .field("messagesIn", p.messagesIn())
                    .field("callsCompleted", p.callsCompleted())
                    .field("egressOut", p.egressOut())
                    .field("deadLettered", p.deadLettered())
                    .field("failedCalls", p.failedCalls())
                    .field("inboxBytes", p.inboxBytes())
                    .field("overflow", p.overflow())
                    .field("backpressured", p.backpressured())
                    .field("backpressureEvents", p.backpressureEvents())
                    .field("delayed", p.delayedPending())
                    .field("parked", p.parkedAddresses())
                    .field("busyNanos", p.busyNanos())
                    .field("maxCycleNanos", p.maxCycleNanos())
                    .field("epoch", p.epoch())
                    .field("remoteInFlight", p.remoteInFlight())
                    .field("remoteQueued", p.remoteQueued())
                    .field("ingressPosition", p.ingressPosition())
                    .field("ingressLag", p.ingressLag());
            if (st == null) {
                w.name("cacheHitRate").nullValue().name("liveSstBytes").nullValue();
            } else {
                w.name("cacheHitRate").value(st.cacheHitRate()).field("liveSstBytes", st.liveSstBytes());
            }
            w.endObject();
        }
        w.endArray();
    }

    private static void functions(JsonWriter w, RuntimeSample s) {
        w.name("functions").beginArray();
        for (FunctionSample f : s.functions) {
            w.beginObject()
                    .field("type", f.type().asString())
                    .field("kind", f.kind())
                    .field("messagesIn", f.messagesIn())
                    .field("sentLocal", f.sentLocal())
                    .field("sentRemote", f.sentToOtherPartitions())
                    .field("egress", f.egress())
                    .field("failures", f.failures())
                    .field("deadLettered", f.deadLettered());
            w.name("latency").beginObject()
                    .field("count", f.latencyCount())
                    .field("sumNanos", f.latencySumNanos())
                    .name("buckets").beginArray();
            for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
                w.value(f.latencyBucket(i));
            }
            w.endArray().endObject().endObject();
        }
        w.endArray();
    }

    private static void remote(JsonWriter w, RuntimeSample s) {
        long inFlight = 0;
        long queued = 0;
        for (PartitionSample p : s.partitions) {
            inFlight += p.remoteInFlight();
            queued += p.remoteQueued();
        }
        w.name("remote").beginObject()
                .field("inFlight", inFlight)
                .field("queued", queued)
                .field("batchesSent", s.remoteTotal(RemoteCounter.BATCHES_SENT))
                .field("invocationsSent", s.remoteTotal(RemoteCounter.INVOCATIONS_SENT))
                .field("repliesApplied", s.remoteTotal(RemoteCounter.REPLIES_APPLIED))
                .field("stateRoundTrips", s.remoteTotal(RemoteCounter.STATE_ROUND_TRIPS))
                .field("retries", s.remoteTotal(RemoteCounter.RETRIES))
                .field("batchFailures", s.remoteTotal(RemoteCounter.BATCH_FAILURES))
                .field("deadLettered", s.remoteTotal(RemoteCounter.DEAD_LETTERED))
                .field("backpressureEvents", s.remoteTotal(RemoteCounter.BACKPRESSURE_EVENTS))
                .endObject();
    }

    private static void endpoints(JsonWriter w, RuntimeSample s) {
        w.name("endpoints").beginArray();
        for (EndpointSample e : s.endpoints) {
            RemoteEndpointSpec spec = e.spec();
            w.beginObject()
                    .field("functions", spec.functions())
                    .field("url", spec.urlPathTemplate())
                    .field("maxNumBatchRequests", spec.maxNumBatchRequests())
                    .field("callTimeoutMillis", spec.callTimeout().toMillis())
                    .name("types").beginArray();
            for (String type : e.typesSeen()) {
                w.value(type);
            }
            w.endArray()
                    .field("messagesIn", e.messagesIn())
                    .field("deadLettered", e.deadLettered())
                    .endObject();
        }
        w.endArray();
    }

    private static void snapshots(JsonWriter w, RuntimeSample s) {
        SnapshotStatus last = s.snapshot;
        w.name("snapshot").beginObject()
                .field("lastId", last.lastId())
                .field("committedEpoch", last.committedEpoch())
                .field("durationNanos", last.durationNanos())
                .field("bytes", last.bytes())
                .field("pauseNanos", last.pauseNanos())
                .field("completedAtMillis", last.completedAtMillis())
                .field("failures", last.failures())
                .field("lastFailure", last.lastFailure())
                .field("completed", last.completed())
                .field("meanDurationNanos", last.meanDurationNanos())
                .field("maxDurationNanos", last.maxDurationNanos())
                .field("heldNanos", last.heldNanos())
                .endObject();
        w.name("snapshots").beginArray();
        for (PartitionSample p : s.partitions) {
            StateSample st = p.stateOrNull();
            if (st == null || st.snapshotsCompleted() + st.snapshotsFailed() == 0) {
                continue;
            }
            w.beginObject()
                    .field("partition", p.id())
                    .field("completed", st.snapshotsCompleted())
                    .field("failed", st.snapshotsFailed())
                    .field("lastBytes", st.lastSnapshotBytes())
                    .field("lastPauseNanos", st.lastSnapshotSyncNanos())
                    .field("lastUploadNanos", st.lastSnapshotAsyncNanos())
                    .endObject();
        }
        w.endArray();
    }

    private static void logs(JsonWriter w, RuntimeSample s) {
        w.name("ingress");
        if (s.ingressEndPosition < 0) {
            w.nullValue();
        } else {
            w.beginObject().field("endPosition", s.ingressEndPosition).field("firstPosition", s.ingressFirstPosition)
                    .endObject();
        }
        w.name("egress").beginArray();
        for (EgressSample e : s.egress) {
            w.beginObject()
                    .field("egress", e.egress())
                    .field("endOffset", e.endOffset())
                    .field("lastCommittedEpoch", e.lastCommittedEpoch())
                    .endObject();
        }
        w.endArray();
    }
}
