package io.stator.runtime.internal;

import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The files one partition's snapshots carry over instead of writing again (backlog files, timer files): those of
 * the last completed snapshot, and those the running one proposes. A snapshot that fails proposes nothing lasting:
 * the next one starts from the last completed. Coordinator thread only.
 *
 * @param <F> what the chain knows of each file
 */
final class CarriedFiles<F> {
    private List<F> committed = List.of();
    /** The completed snapshot holding the committed files, or -1. */
    private long committedIn = -1;
    private List<F> proposed;

    /** @return the files of the last completed snapshot, oldest first */
    List<F> committed() {
        return committed;
    }

    /**
     * Whether the next snapshot should list everything again instead of carrying the files on: when they are many,
     * or hold far more records than are still live (each replayed at a restore).
     *
     * @param maxFiles the most files to carry
     * @param live     how many records are live (pending timers, held invocations) at the last completed snapshot
     * @param slack    records beyond twice the live ones that are tolerated
     * @param records  a file's record count
     */
    boolean outgrown(int maxFiles, long live, long slack, ToLongFunction<F> records) {
        long carried = 0;
        for (F f : committed) {
            carried += records.applyAsLong(f);
        }
        return committed.size() >= maxFiles || carried > 2 * live + slack;
    }

    /** @return whether a snapshot completed with this chain (whose files, maybe none, later snapshots build on) */
    boolean hasBase() {
        return committedIn >= 0;
    }

    /** Links (or copies) file {@code path} of the last completed snapshot into snapshot {@code to}. */
    void carry(SnapshotStore store, String path, long to) throws IOException {
        if (!store.copyWithin(committedIn, to, path)) {
            try (InputStream in = store.open(committedIn, path)) {
                store.write(to, path, in);
            }
        }
    }

    /** The running snapshot's files, once stored. */
    void propose(List<F> files) {
        proposed = files;
    }

    /** Snapshot {@code id}, whose files were last proposed, is complete: they are the chain. */
    void completed(long id) {
        if (proposed != null) {
            committed = proposed;
            committedIn = id;
            proposed = null;
        }
    }

    /** Takes the files of restored snapshot {@code id}, which the store being written holds, as the chain. */
    void resume(long id, List<F> files) {
        committed = files;
        committedIn = id;
        proposed = null;
    }
}
