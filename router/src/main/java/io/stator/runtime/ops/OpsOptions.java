package io.stator.runtime.ops;

import io.stator.remote.client.RemoteEndpointRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntToLongFunction;

/**
 * Settings of the operations endpoints ({@code /metrics}, the status page, {@code /v1/status}, the admin API).
 * Fluent; {@link #conclude()} validates, and {@link OpsHandlers#mount} calls it.
 *
 * <ul>
 *   <li>{@link #bindHost}: the address the HTTP server binds (default {@code 127.0.0.1}). Off loopback the admin
 *       API requires {@link #token}, see {@link BearerTokenGuard};</li>
 *   <li>{@link #token}: the bearer token for the admin API (and, wired by the node, the ingress); default none;</li>
 *   <li>{@link #maxBodyBytes}: the largest admin request body (default 64 KiB);</li>
 *   <li>{@link #endpointRegistry}: the registry the runtime's remote dispatchers consult; without it the admin
 *       API lists the configured endpoints but cannot change them (501);</li>
 *   <li>{@link #stateReads}: whether {@code GET /v1/admin/state/...} is on (default off);</li>
 *   <li>{@link #savepointTimeout}: how long {@code POST /v1/admin/savepoints} waits for its snapshot (default
 *       60 s);</li>
 *   <li>{@link #ingressReadPositions}: each partition's ingress read position, for the ingress lag metric;
 *       default none (the lag is then not reported);</li>
 *   <li>{@link #healthSnapshotAge}: how long without a completed snapshot {@code GET /v1/health} answers 503
 *       (default ten snapshot intervals, at least 10 s);</li>
 *   <li>{@link #maxIngressLag}: the lag past which the node's HTTP ingress refuses records, for the health
 *       check; default 0 (no bound).</li>
 * </ul>
 */
public final class OpsOptions {
    /** The default limit of an admin request body. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private String bindHost = "127.0.0.1";
    private String token;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private RemoteEndpointRegistry endpointRegistry;
    private boolean stateReads;
    private IntToLongFunction ingressReadPositions;
    private Duration savepointTimeout = Duration.ofSeconds(60);
    private Duration healthSnapshotAge;
    private long maxIngressLag;

    /** @return the default settings: loopback, no token, state reads off */
    public static OpsOptions defaults() {
        return new OpsOptions();
    }

    /** Sets the address the HTTP server binds; it decides whether the admin API needs a token. */
    public OpsOptions bindHost(String host) {
        this.bindHost = Objects.requireNonNull(host, "bindHost");
        return this;
    }

    /** Sets the bearer token the admin API requires (required off loopback); null for none. */
    public OpsOptions token(String token) {
        this.token = token;
        return this;
    }

    /** Sets the largest admin request body, in bytes (1 to 16 MiB). */
    public OpsOptions maxBodyBytes(int bytes) {
        this.maxBodyBytes = bytes;
        return this;
    }

    /** Lets the admin API register, replace and remove remote endpoints in this registry while the runtime runs. */
    public OpsOptions endpointRegistry(RemoteEndpointRegistry registry) {
        this.endpointRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Turns {@code GET /v1/admin/state/{namespace}/{type}/{id}} on or off (default off: it reveals user data). */
    public OpsOptions stateReads(boolean enabled) {
        this.stateReads = enabled;
        return this;
    }

    /**
     * Sets how long the node may go without completing a snapshot before {@code GET /v1/health} answers 503: no
     * output is committed meanwhile (a partition stuck in a call, a stalled disk). Default null: ten snapshot
     * intervals, at least 10 s. Snapshots taken only on request (interval 0) are not checked.
     */
    public OpsOptions healthSnapshotAge(Duration age) {
        this.healthSnapshotAge = Objects.requireNonNull(age, "age");
        return this;
    }

    /** Tells the health check the node's {@code --max-ingress-lag}, past which its HTTP ingress refuses records. */
    public OpsOptions maxIngressLag(long documents) {
        this.maxIngressLag = documents;
        return this;
    }

    /**
     * Supplies each partition's ingress read position (any thread, racy reads are fine), from which
     * {@code stator_ingress_lag_positions} is computed.
     */
    public OpsOptions ingressReadPositions(IntToLongFunction positions) {
        this.ingressReadPositions = Objects.requireNonNull(positions, "positions");
        return this;
    }

    /** Sets how long a savepoint request waits for its snapshot to complete before answering 504. */
    public OpsOptions savepointTimeout(Duration timeout) {
        this.savepointTimeout = Objects.requireNonNull(timeout, "savepointTimeout");
        return this;
    }

    /**
     * Checks the settings.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting
     */
    public OpsOptions conclude() {
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost must not be blank");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token must not be blank; leave it unset for none");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and 16 MiB, was " + maxBodyBytes);
        }
        if (savepointTimeout.isNegative() || savepointTimeout.isZero()) {
            throw new IllegalArgumentException("savepointTimeout must be positive, was " + savepointTimeout);
        }
        if (healthSnapshotAge != null && (healthSnapshotAge.isNegative() || healthSnapshotAge.isZero())) {
            throw new IllegalArgumentException("healthSnapshotAge must be positive, was " + healthSnapshotAge);
        }
        if (maxIngressLag < 0) {
            throw new IllegalArgumentException("maxIngressLag must be 0 (no bound) or more, was " + maxIngressLag);
        }
        return this;
    }

    /** @return the health check's snapshot age, or null for ten intervals (at least 10 s) */
    public Duration healthSnapshotAge() {
        return healthSnapshotAge;
    }

    /** @return the lag past which the HTTP ingress refuses records, 0 for no bound */
    public long maxIngressLag() {
        return maxIngressLag;
    }

    /** @return how long a savepoint request waits */
    public Duration savepointTimeout() {
        return savepointTimeout;
    }

    /** @return the address the HTTP server binds */
    public String bindHost() {
        return bindHost;
    }

    /** @return the bearer token, or null */
    public String token() {
        return token;
    }

    /** @return the largest admin request body, in bytes */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** @return the changeable endpoint registry, or null */
    public RemoteEndpointRegistry endpointRegistry() {
        return endpointRegistry;
    }

    /** @return whether state reads are on */
    public boolean stateReads() {
        return stateReads;
    }

    /** @return the ingress read positions by partition, or null */
    public IntToLongFunction ingressReadPositions() {
        return ingressReadPositions;
    }
}
