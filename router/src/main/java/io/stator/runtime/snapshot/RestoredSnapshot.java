package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import io.stator.state.KeyGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runtime's part of a snapshot being restored, for any partition count: which messages each new partition
 * runs first, which delayed messages it owns, and where ingress reading resumes for every key group. A key
 * group's data comes from the one old partition that owned it, so per-address order holds: that partition's
 * unfinished messages first, then its channel state, then the ingress after its recorded position.
 */
public final class RestoredSnapshot {
    private final long id;
    private final int oldPartitions;
    private final int maxParallelism;
    private final List<PartitionSnapshot> parts;
    private final String ingressLogId;
    private boolean ingressPositionsValid = true;
    private boolean storeWrittenOn;

    /**
     * @param parts every old partition's part of the snapshot
     * @throws IllegalArgumentException if a part is missing or from another snapshot
     */
    public RestoredSnapshot(long id, List<PartitionSnapshot> parts, String ingressLogId) {
        this.id = id;
        this.ingressLogId = ingressLogId;
        this.parts = new ArrayList<>(parts);
        this.parts.sort(Comparator.comparingInt(PartitionSnapshot::partition));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("snapshot " + id + " has no partition metadata");
        }
        this.oldPartitions = this.parts.get(0).partitions();
        this.maxParallelism = this.parts.get(0).maxParallelism();
        for (int i = 0; i < this.parts.size(); i++) {
            PartitionSnapshot p = this.parts.get(i);
            if (p.partition() != i || p.snapshotId() != id || p.partitions() != oldPartitions) {
                throw new IllegalArgumentException("snapshot " + id + ": partition metadata is incomplete or mixed");
            }
        }
        if (this.parts.size() != oldPartitions) {
            throw new IllegalArgumentException("snapshot " + id + " has metadata for " + this.parts.size() + " of "
                    + oldPartitions + " partitions");
        }
    }

    public long id() {
        return id;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    /** @return the identity of the ingress log the snapshot's positions refer to ("" if unknown) */
    public String ingressLogId() {
        return ingressLogId;
    }

    /**
     * Forgets the ingress positions: the runtime reads another ingress log than the one the snapshot was taken
     * on (a savepoint restored into another data folder), whose records all come after the snapshot.
     */
    public void discardIngressPositions() {
        ingressPositionsValid = false;
    }

    /**
     * Says that the runtime writes its snapshots to the store this one was read from (not a savepoint folder), so
     * that they may carry this one's files over instead of writing everything again.
     */
    public void continuesInItsStore() {
        storeWrittenOn = true;
    }

    /**
     * @return old partition {@code p}'s timers as restored, naming their files, when new partition {@code p} (of
     *     {@code partitions}) can carry them on: the partition count is unchanged, the snapshots go on in this
     *     snapshot's store, and the timers are in files; else null
     */
    public PartitionSnapshot.TimerLog timerChainFor(int p, int partitions) {
        if (!storeWrittenOn || partitions != oldPartitions) {
            return null;
        }
        PartitionSnapshot.TimerLog timers = parts.get(p).timers();
        return timers.inFiles() ? timers : null;
    }

    /** @return per key group, the ingress position its records resume from */
    public long[] ingressStartByKeyGroup() {
        long[] start = new long[maxParallelism];
        if (!ingressPositionsValid) {
            return start; // IngressLog.START everywhere
        }
        for (int kg = 0; kg < maxParallelism; kg++) {
            start[kg] = parts.get(KeyGroups.partitionFor(kg, oldPartitions, maxParallelism)).ingressPosition();
        }
        return start;
    }

    /** @return the messages new partition {@code p} (of {@code partitions}) runs first, in order */
    public List<Envelope> replayFor(int p, int partitions) {
        List<Envelope> out = new ArrayList<>();
        for (PartitionSnapshot part : parts) {
            for (Envelope e : part.pending()) {
                if (KeyGroups.partitionFor(e.keyGroup(), partitions, maxParallelism) == p) {
                    out.add(e);
                }
            }
            for (Envelope e : part.channel()) {
                if (KeyGroups.partitionFor(e.keyGroup(), partitions, maxParallelism) == p) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** @return the delayed messages whose senders new partition {@code p} owns */
    public List<PartitionSnapshot.Timer> timersFor(int p, int partitions) {
        List<PartitionSnapshot.Timer> out = new ArrayList<>();
        for (PartitionSnapshot part : parts) {
            for (PartitionSnapshot.Timer t : part.timers().entries()) {
                int senderGroup = KeyGroups.keyGroupOfHash(t.senderHash(), maxParallelism);
                if (KeyGroups.partitionFor(senderGroup, partitions, maxParallelism) == p) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** @return how many messages and timers the snapshot carries, for the log */
    public String describe() {
        int pending = 0;
        int channel = 0;
        int timers = 0;
        for (PartitionSnapshot part : parts) {
            pending += part.pending().size();
            channel += part.channel().size();
            timers += part.timers().entries().size();
        }
        return "snapshot " + id + " of " + oldPartitions + " partitions: " + pending + " unfinished messages, "
                + channel + " channel messages, " + timers + " delayed messages";
    }
}
