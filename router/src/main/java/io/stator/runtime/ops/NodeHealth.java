package io.stator.runtime.ops;

import io.stator.runtime.ops.RuntimeSample.PartitionSample;
import io.stator.runtime.snapshot.SnapshotStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a node keeps its promises now, for a probe ({@code GET /v1/health}): {@code failing} when it makes no
 * progress it would recover from by waiting a little (no snapshot, so no committed output, for ten intervals; a
 * partition stopped until RocksDB takes writes again), {@code degraded} when it works with a handicap a person should
 * know of (the last snapshots failed; the HTTP ingress refuses records while a partition catches up), else
 * {@code ok}. Each problem is one sentence naming what and where.
 *
 * @param status   {@code ok}, {@code degraded} or {@code failing}
 * @param problems what is wrong, the failing ones first; empty when ok
 */
record NodeHealth(String status, List<String> problems) {
    /** The shortest age of the last snapshot that counts as failing, whatever the interval. */
    static final long MIN_SNAPSHOT_AGE_MILLIS = 10_000;

    /** @return whether a probe should see the node as down (HTTP 503) */
    boolean failing() {
        return "failing".equals(status);
    }

    /**
     * @param snapshot             the snapshot status now
     * @param intervalMillis       the snapshot interval; 0 when snapshots are only taken on request
     * @param snapshotAgeMillis    how long without a completed snapshot is failing, or -1 for ten intervals (at
     *                             least {@value #MIN_SNAPSHOT_AGE_MILLIS} ms)
     * @param sinceMillis          when the node started serving: its age counts as the last snapshot's before the first
     * @param nowMillis            now
     * @param partitions           the partitions now
     * @param maxIngressLag        the lag past which the HTTP ingress refuses records, 0 for none
     */
    static NodeHealth assess(SnapshotStatus snapshot, long intervalMillis, long snapshotAgeMillis, long sinceMillis,
            long nowMillis, List<PartitionSample> partitions, long maxIngressLag) {
        List<String> failing = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        if (intervalMillis > 0) {
            long limit = snapshotAgeMillis >= 0 ? snapshotAgeMillis
                    : Math.max(MIN_SNAPSHOT_AGE_MILLIS, 10 * intervalMillis);
            long last = snapshot.lastId() >= 0 ? Math.max(snapshot.completedAtMillis(), sinceMillis) : sinceMillis;
            long age = nowMillis - last;
            if (age > limit) {
                failing.add(String.format(Locale.ROOT, "no snapshot has completed for %.1f s (interval %d ms), so no"
                        + " output is committed meanwhile: the log's warnings name what it waits for", age / 1e3,
                        intervalMillis) + (snapshot.failedInARow() > 0 ? "; " + lastFailure(snapshot) : ""));
            }
        }
        for (PartitionSample p : partitions) {
            if (p.waitingForStateWrites()) {
                failing.add("partition " + p.id() + " has stopped until RocksDB takes its writes again (a full disk?);"
                        + " it goes on by itself once they are taken");
            }
        }
        if (snapshot.failedInARow() > 0 && failing.isEmpty()) {
            degraded.add(lastFailure(snapshot));
        }
        if (maxIngressLag > 0) {
            for (PartitionSample p : partitions) {
                if (p.ingressLag() > maxIngressLag) {
                    degraded.add("the HTTP ingress refuses records (503) until partition " + p.id() + " catches up: it"
                            + " is " + p.ingressLag() + " log documents behind, more than " + maxIngressLag);
                }
            }
        }
        List<String> problems = new ArrayList<>(failing);
        problems.addAll(degraded);
        String status = !failing.isEmpty() ? "failing" : !degraded.isEmpty() ? "degraded" : "ok";
        return new NodeHealth(status, List.copyOf(problems));
    }

    private static String lastFailure(SnapshotStatus snapshot) {
        return "the last " + (snapshot.failedInARow() == 1 ? "snapshot" : snapshot.failedInARow() + " snapshots")
                + " failed; the last one: " + snapshot.lastFailure();
    }

    /** @return {@code {"status":"..","problems":[..]}} */
    String json() {
        JsonWriter json = new JsonWriter().beginObject().field("status", status).name("problems").beginArray();
        for (String problem : problems) {
            json.value(problem);
        }
        return json.endArray().endObject().toString();
    }
}
