package io.stator.runtime.snapshot;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.runtime.internal.Envelope;
import java.util.List;

/**
 * What a partition records at snapshot {@code n}, besides its RocksDB checkpoint: everything that was in flight
 * inside the partition and would otherwise be lost on restore.
 *
 * @param partition       the partition index
 * @param snapshotId      the snapshot (= the epoch it starts)
 * @param partitions      the partition count it was taken with
 * @param maxParallelism  the key-group count
 * @param ingressPosition where its ingress reading resumes (-1 when its input is not resumable)
 * @param pending         messages it had accepted but not yet finished, besides its remote backlog: the message
 *                        of every running asynchronous call and the messages waiting behind it, then its local
 *                        queue. On restore they run again, after the backlog's invocations; once restored, the
 *                        list starts with those
 * @param channel         messages other partitions sent before their snapshot that reached this partition after
 *                        its own (Chandy-Lamport channel state); on restore they run after the pending ones
 * @param timers          delayed messages not yet due, recorded incrementally
 * @param backlog         the remote invocations in flight or queued, recorded incrementally
 */
public record PartitionSnapshot(
        int partition, long snapshotId, int partitions, int maxParallelism, long ingressPosition,
        List<Envelope> pending, List<Envelope> channel, TimerLog timers, Backlog backlog) {

    /** A snapshot without remote backlog, whose delayed messages are all in {@code timers}. */
    public PartitionSnapshot(int partition, long snapshotId, int partitions, int maxParallelism,
            long ingressPosition, List<Envelope> pending, List<Envelope> channel, List<Timer> timers) {
        this(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending, channel,
                TimerLog.of(timers), Backlog.NONE);
    }

    /** @return this snapshot with its backlog replaced */
    public PartitionSnapshot withBacklog(Backlog replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending,
                channel, timers, replacement);
    }

    /** @return this snapshot with its timers replaced */
    public PartitionSnapshot withTimers(TimerLog replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending,
                channel, replacement, backlog);
    }

    /** @return this snapshot with its pending messages replaced */
    public PartitionSnapshot withPending(List<Envelope> replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition,
                replacement, channel, timers, backlog);
    }

    /**
     * A delayed message not yet due.
     *
     * @param id          names it in its partition's timer files ({@link TimerLog}), unique within one run of
     *                    the partition; restored timers are numbered again
     * @param dueAtMillis when it fires, epoch milliseconds
     * @param token       its cancellation token, or null
     * @param message     the message; its caller is the sender, which owns the token
     */
    public record Timer(long id, long dueAtMillis, String token, Envelope message) {
    }

    /**
     * A partition's delayed messages, kept in timer files that later snapshots carry over instead of writing them
     * again ({@link TimerFiles}). A file holds the timers set during one interval and the ids of earlier files'
     * timers that fired or were cancelled during it; the chain starts with a file holding every timer. A million
     * timers pending for minutes then cost a snapshot what changed, not a million records.
     *
     * @param entries the timers this snapshot's own file holds: every pending one if {@code full}, otherwise those
     *                set since the previous snapshot (some of them may be in {@code removed} too); once restored,
     *                every pending one
     * @param removed the ids of timers that fired or were cancelled since the previous snapshot (empty if full)
     * @param full    whether {@code entries} is every pending timer, so that no earlier file is needed
     * @param live    how many timers were pending
     * @param files   the snapshots whose timer files (all carried into this snapshot) hold them, oldest first;
     *                chosen by the coordinator when it stores the snapshot, empty before. Empty with timers
     *                pending only in snapshots written before timers had files, which listed them in place
     * @param records how many timers and removals those files hold together: what a restore reads
     */
    public record TimerLog(List<Timer> entries, long[] removed, boolean full, long live, long[] files, long records) {
        /** No delayed message. */
        public static final TimerLog NONE = of(List.of());

        /** @return the log of exactly these pending timers, needing no file */
        public static TimerLog of(List<Timer> all) {
            return new TimerLog(all, new long[0], true, all.size(), new long[0], 0);
        }

        /** @return this log as stored in {@code storedFiles}, holding {@code storedRecords}, without its entries */
        public TimerLog storedIn(long[] storedFiles, long storedRecords) {
            return new TimerLog(List.of(), new long[0], full, live, storedFiles, storedRecords);
        }

        /** @return whether the timers are in files a later snapshot can carry over (none is, when none is pending) */
        public boolean inFiles() {
            return files.length > 0 || live == 0;
        }
    }

    /**
     * The remote invocations a partition held at the snapshot (in flight or queued), kept in backlog files that
     * later snapshots carry over instead of writing them again. Each address's invocations run in the order the
     * dispatcher numbered them, so a file can list every invocation accepted during an interval, finished or not:
     * the ones still held are, per address, those from its oldest held sequence on ({@link #heads}). A backlog
     * many times what arrives in an interval then costs a snapshot what arrived, not the whole backlog.
     *
     * @param entries the invocations the partition hands over for this snapshot's own backlog file: every held
     *                one if {@code full}, otherwise those accepted since the previous snapshot, in sequence order
     * @param full    whether {@code entries} is the whole backlog, so that no earlier file is needed
     * @param heads   for each address holding invocations, the sequence of its oldest
     * @param held    how many invocations were held
     * @param files   the snapshots whose backlog files (all carried into this snapshot) hold them, oldest first;
     *                chosen by the coordinator when it stores the snapshot, empty before
     */
    public record Backlog(List<PendingRemoteInvocation> entries, boolean full, long[] heads, long held, long[] files) {
        /** No remote backlog: nothing held, no file. */
        public static final Backlog NONE = new Backlog(List.of(), true, new long[0], 0, new long[0]);

        /** @return this backlog as stored in {@code storedFiles}, without the entries now written */
        public Backlog storedIn(long[] storedFiles) {
            return new Backlog(List.of(), full, heads, held, storedFiles);
        }
    }
}
