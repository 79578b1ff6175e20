package io.stator.runtime.internal;

import java.util.ArrayDeque;

/**
 * What a start of several steps has opened so far, so that a later step's failure closes it all, newest first,
 * instead of leaking mapped files, threads and locks. Used by one thread.
 */
public final class OpenedResources {
    private final ArrayDeque<AutoCloseable> opened = new ArrayDeque<>();

    /** Records {@code resource} as opened; @return it */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Records how to undo a step whose result is not itself closeable. */
    public void addCloser(AutoCloseable closer) {
        opened.push(closer);
    }

    /** Closes everything recorded, newest first; what fails to close is added to {@code failure} as suppressed. */
    public void closeAfter(Throwable failure) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception | Error e) {
                failure.addSuppressed(e);
            }
        }
    }
}
