package io.stator.state;

/**
 * Where partitions keep their keyed state. One backend per runtime; it opens one {@link KeyedStateStore} per
 * partition.
 */
public interface StateBackend extends AutoCloseable {
    /**
     * Opens the store of one partition.
     *
     * @param partition the partition index
     * @param keyGroups the key groups the partition owns
     */
    KeyedStateStore openPartition(int partition, KeyGroupRange keyGroups);

    /** Closes the backend; stores opened from it must be closed first. */
    @Override
    void close();
}
