package io.stator.runtime.internal;

/**
 * Told, on the partition's thread, that a partition has passed an epoch barrier: its state is flushed and
 * everything it emits from now on belongs to the new epoch.
 */
@FunctionalInterface
public interface BarrierListener {
    /**
     * @param partition       the partition
     * @param epoch           the epoch it entered
     * @param ingressPosition where its ingress reading would resume (-1 if not resumable)
     */
    void onBarrier(int partition, long epoch, long ingressPosition);
}
