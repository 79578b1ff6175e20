package io.stator.remote.client;

import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The remote endpoints a runtime calls, changeable while it runs: the admin API registers, replaces and removes
 * endpoints here, and every partition's {@link RemoteDispatcher} picks the change up on its next call.
 *
 * <p>Copy on write: the endpoints live in an immutable {@link Snapshot} published through one volatile field,
 * with a version that grows on every change. Readers (partition threads, HTTP threads) take the current snapshot
 * without locking and see a consistent list; a dispatcher caches its type-to-endpoint resolution and re-resolves
 * only when the version it sees differs from the one it cached. Writers are serialized by the registry's monitor
 * and are rare (admin requests).
 *
 * <p>Matching follows StateFun: an endpoint naming one function type ({@code example/greeter}) wins over one
 * naming its namespace ({@code example/*}). Patterns are unique: registering a pattern again replaces its
 * endpoint.
 */
public final class RemoteEndpointRegistry {
    /**
     * One immutable state of the registry.
     *
     * @param version   grows by one with every change; 0 for the endpoints the registry was created with
     * @param endpoints the endpoints, in registration order, patterns unique
     */
    public record Snapshot(long version, List<RemoteEndpointSpec> endpoints) {
        /** @return the endpoint serving {@code functionType}, the most specific one, or null */
        public RemoteEndpointSpec endpointFor(TypeName functionType) {
            RemoteEndpointSpec match = null;
            for (RemoteEndpointSpec endpoint : endpoints) {
                if (endpoint.matches(functionType) && (match == null || endpoint.isSpecificFunction())) {
                    match = endpoint;
                }
            }
            return match;
        }

        /** @return the function patterns, in registration order */
        public List<String> patterns() {
            return endpoints.stream().map(RemoteEndpointSpec::functions).toList();
        }
    }

    private volatile Snapshot current;

    private RemoteEndpointRegistry(List<RemoteEndpointSpec> endpoints) {
        this.current = new Snapshot(0, checkUnique(endpoints));
    }

    /**
     * @param endpoints the initial endpoints (may be empty)
     * @return a registry holding them at version 0
     * @throws IllegalArgumentException if two endpoints have the same {@code functions} pattern
     */
    public static RemoteEndpointRegistry of(List<RemoteEndpointSpec> endpoints) {
        return new RemoteEndpointRegistry(Objects.requireNonNull(endpoints, "endpoints"));
    }

    /** @return the current endpoints and version; any thread, no locking */
    public Snapshot snapshot() {
        return current;
    }

    /** @return the current version; any thread */
    public long version() {
        return current.version();
    }

    /** @return the current endpoints; any thread */
    public List<RemoteEndpointSpec> endpoints() {
        return current.endpoints();
    }

    /** @return the endpoint serving {@code functionType} now, or null; any thread */
    public RemoteEndpointSpec endpointFor(TypeName functionType) {
        return current.endpointFor(functionType);
    }

    /** @return whether some endpoint serves {@code functionType} now; any thread */
    public boolean serves(TypeName functionType) {
        return current.endpointFor(functionType) != null;
    }

    /**
     * Registers an endpoint, or replaces the one with the same {@code functions} pattern (keeping its place).
     * Batches already in flight to a replaced endpoint finish there; later batches go to the new one.
     *
     * @return the endpoint it replaced, or null if the pattern was new
     */
    public synchronized RemoteEndpointSpec put(RemoteEndpointSpec endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Snapshot before = current;
        List<RemoteEndpointSpec> next = new ArrayList<>(before.endpoints());
        RemoteEndpointSpec replaced = null;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).functions().equals(endpoint.functions())) {
                replaced = next.set(i, endpoint);
                break;
            }
        }
        if (replaced == null) {
            next.add(endpoint);
        }
        current = new Snapshot(before.version() + 1, List.copyOf(next));
        return replaced;
    }

    /**
     * Removes the endpoint registered for a {@code functions} pattern. Its batches in flight finish or fail
     * normally; invocations queued behind them are dead-lettered if no other endpoint serves their type.
     *
     * @param functions the pattern, {@code namespace/name} or {@code namespace/*}
     * @return the removed endpoint, or null if none had that pattern (the version is then unchanged)
     */
    public synchronized RemoteEndpointSpec remove(String functions) {
        Objects.requireNonNull(functions, "functions");
        Snapshot before = current;
        List<RemoteEndpointSpec> next = new ArrayList<>(before.endpoints());
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).functions().equals(functions)) {
                RemoteEndpointSpec removed = next.remove(i);
                current = new Snapshot(before.version() + 1, List.copyOf(next));
                return removed;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        Snapshot s = current;
        return "RemoteEndpointRegistry[version " + s.version() + ", " + s.patterns() + "]";
    }

    private static List<RemoteEndpointSpec> checkUnique(List<RemoteEndpointSpec> endpoints) {
        Set<String> patterns = new HashSet<>();
        for (RemoteEndpointSpec spec : endpoints) {
            Objects.requireNonNull(spec, "endpoint");
            if (!patterns.add(spec.functions())) {
                throw new IllegalArgumentException("two remote endpoints are declared for functions " + spec.functions());
            }
        }
        return List.copyOf(endpoints);
    }
}
