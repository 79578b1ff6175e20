package io.stator.runtime.internal;

/**
 * Applying a call's effects, or a remote function's reply, failed part way (an egress log that cannot be opened or
 * written, a state store that throws): the message must not run again in this process, nor the remote batch be
 * sent again, or the effects already applied would be applied twice.
 * An {@link Error}, so that it ends the partition's thread (and {@code ./stator run}, with status 70) instead of
 * being retried like an exception; the next start resumes from the last snapshot.
 */
final class PartialEffectsError extends Error {
    private static final long serialVersionUID = 1L;

    /** @param what whose effects were being applied, e.g. "the effects of a call to ADDRESS" */
    PartialEffectsError(String what, RuntimeException cause) {
        super("applying " + what + " failed part way (" + cause + "); the partition stops rather than apply them"
                + " again", cause);
    }
}
