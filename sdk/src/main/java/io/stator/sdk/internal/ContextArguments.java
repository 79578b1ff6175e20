package io.stator.sdk.internal;

import io.stator.sdk.Address;
import io.stator.sdk.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks of {@link Context}'s delayed-message methods, shared by every host (the embedded runtime, the
 * remote-function server, the test kit), so that a function gets the same error wherever it runs.
 */
public final class ContextArguments {
    private ContextArguments() {
    }

    /**
     * @param self the address whose function passed the delay, named in the error
     * @return {@code delay}
     * @throws IllegalArgumentException if it is negative
     */
    public static Duration delay(Address self, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("address " + self + " sent a message with negative delay " + delay);
        }
        return delay;
    }

    /**
     * @param self the address whose function passed the token, named in the error
     * @return {@code token}
     * @throws IllegalArgumentException if it is null or empty
     */
    public static String cancellationToken(Address self, String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("address " + self + ": a cancellation token must not be empty");
        }
        return token;
    }
}
