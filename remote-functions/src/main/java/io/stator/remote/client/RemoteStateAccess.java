package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;

/**
 * The runtime's keyed state, as the {@link RemoteDispatcher} needs it: the runtime adapts its partition's state
 * store to this interface and supplies the clock itself (for expiry).
 *
 * <p>Specs passed here are learned from the remote function ({@code IncompleteInvocationContext}): their name,
 * type name and expiration are the function's declaration, and their {@link ValueSpec#type()} passes bytes
 * through unchanged ({@code byte[]} in, {@code byte[]} out). Only the partition thread calls these methods.
 */
public interface RemoteStateAccess {
    /**
     * Reads a state before a batch is sent. Every known state of the function type is read for every request,
     * so for {@code AFTER_CALL} expiry a read restarts the expiry clock, as in StateFun.
     *
     * @return the stored bytes, or null if absent or expired
     */
    byte[] get(int keyGroup, Address address, ValueSpec<?> spec);

    /** Stores the full new value of a state after a reply (a MODIFY mutation); the array is handed over. */
    void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value);

    /** Removes a state after a reply (a DELETE mutation). */
    void delete(int keyGroup, Address address, ValueSpec<?> spec);
}
