package io.stator.runtime.internal;

import io.stator.sdk.Address;

/**
 * Applying a call's effects failed part way (an egress log that cannot be opened or written, a state store that
 * throws): the message must not run again in this process, or the effects already applied would be applied twice.
 * An {@link Error}, so that it ends the partition's thread (and {@code ./stator run}, with status 70) instead of
 * being retried like an exception; the next start resumes from the last snapshot.
 */
final class PartialEffectsError extends Error {
    private static final long serialVersionUID = 1L;

    PartialEffectsError(Address target, RuntimeException cause) {
        super("applying the effects of a call to " + target + " failed part way (" + cause + "); the partition stops"
                + " rather than run the message again", cause);
    }
}
