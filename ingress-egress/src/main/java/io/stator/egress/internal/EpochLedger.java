package io.stator.egress.internal;

import static io.stator.egress.internal.EgressRecordDescriptor.KIND_ABORT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_COMMIT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;

import java.util.Arrays;
import org.agrona.collections.LongHashSet;

/**
 * What an egress log's records say about epochs, replayed in log order: the highest committed epoch, the aborted
 * epochs, and the epochs that have records but no decision yet. Single-threaded.
 *
 * <p>The log guarantees that every data record of an epoch lies before the marker deciding it (appends to a
 * decided epoch are refused). So once a ledger has replayed the log up to some point, a record before that point
 * is committed if {@link #decide} says so, whatever the distance between record and marker.
 */
public final class EpochLedger {
    /** No epoch: the value of {@link #lastCommitted()} and {@link #highest()} before any. */
    public static final long NONE = -1L;

    /** What is known about an epoch. */
    public enum Decision {
        /** Committed: its records may be delivered. */
        COMMITTED,
        /** Aborted: its records are never delivered. */
        ABORTED,
        /** Not decided yet. */
        OPEN
    }

    private final LongHashSet aborted = new LongHashSet();
    private final LongHashSet open = new LongHashSet();
    private final boolean trackOpen;
    private long lastCommitted = NONE;
    private long highest = NONE;

    /** @param trackOpen whether to keep the set of open epochs (the writer needs it at recovery; readers don't) */
    public EpochLedger(boolean trackOpen) {
        this.trackOpen = trackOpen;
    }

    /** Replays one record. */
    public void apply(int kind, long epoch) {
        highest = Math.max(highest, epoch);
        switch (kind) {
            case KIND_DATA -> {
                if (trackOpen && epoch > lastCommitted && !aborted.contains(epoch)) {
                    open.add(epoch);
                }
            }
            case KIND_COMMIT -> {
                if (epoch > lastCommitted) {
                    lastCommitted = epoch;
                    if (trackOpen) {
                        open.removeIfLong(e -> e <= epoch);
                    }
                }
            }
            case KIND_ABORT -> {
                aborted.add(epoch);
                open.remove(epoch);
            }
            default -> throw new IllegalArgumentException("unknown egress record kind " + kind);
        }
    }

    /** @return what is known about {@code epoch} */
    public Decision decide(long epoch) {
        if (aborted.contains(epoch)) {
            return Decision.ABORTED;
        }
        return epoch <= lastCommitted ? Decision.COMMITTED : Decision.OPEN;
    }

    /** @return the highest committed epoch, or {@link #NONE} */
    public long lastCommitted() {
        return lastCommitted;
    }

    /** @return the highest epoch any record names, or {@link #NONE} */
    public long highest() {
        return highest;
    }

    /** @return true if {@code epoch} was aborted */
    public boolean isAborted(long epoch) {
        return aborted.contains(epoch);
    }

    /** @return the epochs with records but no decision, ascending (empty unless tracking) */
    public long[] openEpochs() {
        long[] epochs = new long[open.size()];
        int i = 0;
        for (LongHashSet.LongIterator it = open.iterator(); it.hasNext(); ) {
            epochs[i++] = it.nextValue();
        }
        Arrays.sort(epochs);
        return epochs;
    }

    /** @return the aborted epochs, ascending */
    public long[] abortedEpochs() {
        long[] epochs = new long[aborted.size()];
        int i = 0;
        for (LongHashSet.LongIterator it = aborted.iterator(); it.hasNext(); ) {
            epochs[i++] = it.nextValue();
        }
        Arrays.sort(epochs);
        return epochs;
    }
}
