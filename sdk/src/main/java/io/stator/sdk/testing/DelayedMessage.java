package io.stator.sdk.testing;

import io.stator.sdk.Message;
import java.time.Duration;
import java.util.Optional;

/**
 * A delayed message recorded by {@link TestContext}.
 *
 * @param dueAt             the virtual time (since the context was made) at which it is due
 * @param cancellationToken the token it was sent under, if any
 * @param message           the message
 */
public record DelayedMessage(Duration dueAt, Optional<String> cancellationToken, Message message) {
}
