package io.stator.sdk;

import java.util.Optional;

/**
 * The state of the address being invoked. Reads see the writes made earlier in the same call; writes become
 * durable when the call's future completes. Every spec used must be declared by the function type.
 */
public interface AddressScopedStorage {
    /**
     * @return the current value, or empty if it was never set, was removed, or has expired
     * @throws IllegalStateException if the spec was not declared, or the stored value has another type
     */
    <T> Optional<T> get(ValueSpec<T> spec);

    /**
     * Sets the value.
     *
     * @throws IllegalStateException if the spec was not declared
     * @throws NullPointerException  if the value is null (use {@link #remove})
     */
    <T> void set(ValueSpec<T> spec, T value);

    /**
     * Removes the value.
     *
     * @throws IllegalStateException if the spec was not declared
     */
    void remove(ValueSpec<?> spec);
}
