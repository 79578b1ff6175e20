package io.stator.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a state value expires: never, a fixed time after it was last written, or a fixed time after the last
 * call to its address (a call reads every declared state, so this means "since the address was last used").
 * An expired value reads as absent.
 */
public final class Expiration {
    /** How the expiry clock is reset. Names and meaning match StateFun's {@code ExpireMode}. */
    public enum Mode {
        /** Never expires. */
        NONE,
        /** Expires {@link #duration()} after the last write. */
        AFTER_WRITE,
        /** Expires {@link #duration()} after the last call to the address (read or write). */
        AFTER_CALL
    }

    private static final Expiration NONE = new Expiration(Mode.NONE, Duration.ZERO);

    private final Mode mode;
    private final Duration duration;

    private Expiration(Mode mode, Duration duration) {
        this.mode = mode;
        this.duration = duration;
    }

    /** @return no expiry */
    public static Expiration none() {
        return NONE;
    }

    /** @return expiry {@code duration} after the last write */
    public static Expiration expireAfterWrite(Duration duration) {
        return new Expiration(Mode.AFTER_WRITE, positive(duration));
    }

    /** @return expiry {@code duration} after the last call */
    public static Expiration expireAfterCall(Duration duration) {
        return new Expiration(Mode.AFTER_CALL, positive(duration));
    }

    private static Duration positive(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expiration duration must be positive, was " + d);
        }
        return d;
    }

    public Mode mode() {
        return mode;
    }

    public Duration duration() {
        return duration;
    }

    /** @return the duration in milliseconds, 0 for {@link Mode#NONE} */
    public long durationMillis() {
        return duration.toMillis();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Expiration e && mode == e.mode && duration.equals(e.duration));
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + duration.hashCode();
    }

    @Override
    public String toString() {
        return mode == Mode.NONE ? "never" : mode + " " + duration;
    }
}
