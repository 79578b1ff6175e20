package io.stator.runtime.snapshot;

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
 * @param pending         messages it had accepted but not yet finished: its own local queue, the message of every
 *                        running asynchronous call and the messages waiting behind it, and remote invocations
 *                        in flight or queued; on restore they run again, in this order per address
 * @param channel         messages other partitions sent before their snapshot that reached this partition after
 *                        its own (Chandy-Lamport channel state); on restore they run first
 * @param timers          delayed messages not yet due
 */
public record PartitionSnapshot(
        int partition, long snapshotId, int partitions, int maxParallelism, long ingressPosition,
        List<Envelope> pending, List<Envelope> channel, List<Timer> timers) {

    /**
     * A delayed message not yet due.
     *
     * @param dueAtMillis when it fires, epoch milliseconds
     * @param token       its cancellation token, or null
     * @param message     the message; its caller is the sender, which owns the token
     */
    public record Timer(long dueAtMillis, String token, Envelope message) {
    }
}
