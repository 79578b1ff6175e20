package io.stator.state;

import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;

/**
 * The keyed state of one partition: values addressed by (key group, function address, state name).
 *
 * <p>Single-threaded: only the owning partition's thread calls it. Time is passed in (epoch milliseconds) so
 * expiry can be tested on a virtual clock.
 */
public interface KeyedStateStore extends AutoCloseable {
    /**
     * Reads a value. For {@code AFTER_CALL} expiry a read also restarts the expiry clock.
     *
     * @return the value's bytes, or null if it is absent or has expired
     * @throws StateTypeMismatchException if the stored value's type is not {@code spec}'s type
     */
    byte[] get(int keyGroup, Address address, ValueSpec<?> spec, long nowMillis);

    /** Writes a value; the array is owned by the store afterwards. */
    void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value, long nowMillis);

    /** Removes a value. */
    void delete(int keyGroup, Address address, ValueSpec<?> spec);

    /**
     * Deletes up to about {@code maxKeys} expired values from the underlying store; the runtime calls it when idle.
     * Expired values are already invisible to {@link #get}; this only reclaims their space. Successive calls
     * continue where the previous one stopped.
     *
     * @param nowMillis the current time, epoch milliseconds
     * @param maxKeys   how many stored values this call may examine at most; must be positive
     * @return how many expired values were deleted
     */
    default int purgeExpired(long nowMillis, int maxKeys) {
        return 0;
    }

    /** Makes every write so far durable in the underlying store (no-op for memory). */
    void flush();

    /**
     * @return whether the owning thread is blocked in a put or delete until the underlying store accepts writes
     *     again (RocksDB on a full disk); any thread may ask
     */
    default boolean waitingForWrites() {
        return false;
    }

    /**
     * The runtime stops without a last snapshot (a partition waits for the disk, or a thread died), so what this
     * store has not written yet need not be written: a put or delete that waits for the underlying store returns,
     * none waits again, and {@link #close()} writes nothing. The next start restores the last completed snapshot.
     * Any thread may call it.
     */
    default void abandon() {
    }

    /** Releases the store's resources; pending writes are flushed first, unless the store was abandoned. */
    @Override
    void close();
}
