package io.stator.ingress.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The idempotency keys the ingress log remembers, each with the position of the record appended for it.
 * Bounded: beyond the capacity the oldest key is forgotten. Thread-safe.
 *
 * <p>A key is claimed before its record is appended, so two concurrent requests with the same key cannot both
 * append: the first claims the key and appends; the second gets the first one's pending position and waits for
 * it.
 */
public final class IdempotencyKeys {
    private final int capacity;
    private final LinkedHashMap<String, CompletableFuture<Long>> positions = new LinkedHashMap<>();

    /**
     * The result of {@link #claim}.
     *
     * @param position the position of the key's record, pending until its append completes
     * @param owner    true if the caller claimed the key and must append, then complete {@code position} or
     *                 call {@link #release}
     */
    public record Claim(CompletableFuture<Long> position, boolean owner) {
    }

    /** @param capacity how many keys to remember, at least 1 */
    public IdempotencyKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("idempotency key capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return the key's claim: owned by the caller if the key was unknown, else the earlier request's */
    public synchronized Claim claim(String key) {
        CompletableFuture<Long> known = positions.get(key);
        if (known != null) {
            return new Claim(known, false);
        }
        CompletableFuture<Long> position = new CompletableFuture<>();
        put(key, position);
        return new Claim(position, true);
    }

    /** Forgets an owned claim whose append failed; callers waiting on it see the failure. */
    public void release(String key, Claim claim, RuntimeException failure) {
        synchronized (this) {
            positions.remove(key, claim.position());
        }
        claim.position().completeExceptionally(failure);
    }

    /** Remembers a key read back from the log; call it oldest first. */
    public synchronized void remember(String key, long position) {
        positions.remove(key);
        put(key, CompletableFuture.completedFuture(position));
    }

    /** @return how many keys are remembered */
    public synchronized int size() {
        return positions.size();
    }

    private void put(String key, CompletableFuture<Long> position) {
        positions.put(key, position);
        Iterator<Map.Entry<String, CompletableFuture<Long>>> oldest = positions.entrySet().iterator();
        while (positions.size() > capacity && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
