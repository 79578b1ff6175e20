package io.stator.runtime.internal;

/**
 * Makes an epoch final once every partition has moved past it. Called on the coordinator's thread, epochs in
 * increasing order.
 */
@FunctionalInterface
public interface EpochCommitter {
    /**
     * @param epoch            the epoch to commit
     * @param ingressPositions per partition, where its ingress reading resumes after the input whose effects all
     *                         belong to epochs up to {@code epoch} (-1 where not resumable)
     */
    void commit(long epoch, long[] ingressPositions);
}
