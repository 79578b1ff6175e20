package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.state.SnapshotHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's snapshot in progress, from the moment it recorded its own state until the marker of every other
 * partition has arrived (Chandy-Lamport over FIFO channels). Meanwhile every envelope that arrives stamped with an
 * older epoch was sent before its sender's snapshot and is logged as channel state; processing goes on
 * (nothing waits for alignment). Partition-thread only.
 */
final class ChannelRecorder {
    private final int partition;
    private final int partitions;
    private final int maxParallelism;
    private final SnapshotListener listener;
    private final boolean[] markerSeen;

    private long snapshotId = -1;
    private int markersMissing;
    private long ingressPosition;
    private List<Envelope> pending;
    private PartitionSnapshot.Backlog backlog;
    private PartitionSnapshot.TimerLog timers;
    private SnapshotHandle stateUpload;
    private long pauseNanos;
    private List<Envelope> channel;

    ChannelRecorder(int partition, int partitions, int maxParallelism, SnapshotListener listener) {
        this.partition = partition;
        this.partitions = partitions;
        this.maxParallelism = maxParallelism;
        this.listener = listener;
        this.markerSeen = new boolean[partitions];
    }

    /** @return whether a snapshot's channel state is being collected */
    boolean recording() {
        return snapshotId >= 0;
    }

    /** Starts collecting the channel state of snapshot {@code id}, whose local part was just recorded. */
    void begin(long id, long ingressPosition, List<Envelope> pending, PartitionSnapshot.Backlog backlog,
            PartitionSnapshot.TimerLog timers, SnapshotHandle stateUpload, long pauseNanos) {
        if (recording()) {
            throw new IllegalStateException("partition " + partition + " starts snapshot " + id
                    + " while snapshot " + snapshotId + " still waits for markers");
        }
        this.snapshotId = id;
        this.ingressPosition = ingressPosition;
        this.pending = pending;
        this.backlog = backlog;
        this.timers = timers;
        this.stateUpload = stateUpload;
        this.pauseNanos = pauseNanos;
        this.channel = new ArrayList<>();
        java.util.Arrays.fill(markerSeen, false);
        markerSeen[partition] = true;
        markersMissing = partitions - 1;
        finishIfComplete();
    }

    /** Logs an envelope that arrived stamped before the snapshot being recorded. */
    void onEnvelope(Envelope e) {
        if (recording() && e.epoch < snapshotId) {
            channel.add(e);
        }
    }

    /** Notes the marker of {@code from}: its channel holds nothing more for this snapshot. */
    void onMarker(long id, int from) {
        if (id != snapshotId || markerSeen[from]) {
            return; // a marker for a snapshot this partition is not recording, or a duplicate
        }
        markerSeen[from] = true;
        markersMissing--;
        finishIfComplete();
    }

    private void finishIfComplete() {
        if (markersMissing > 0) {
            return;
        }
        PartitionSnapshot snapshot = new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism,
                ingressPosition, pending, channel, timers, backlog);
        SnapshotHandle upload = stateUpload;
        snapshotId = -1;
        pending = null;
        backlog = null;
        timers = null;
        channel = null;
        stateUpload = null;
        listener.onPartitionSnapshot(snapshot, upload, pauseNanos);
    }
}
