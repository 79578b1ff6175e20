package io.stator.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting folder trees: a restored state folder, a benchmark's or crash test's work folder. */
public final class Folders {
    private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

    private Folders() {
    }

    /**
     * Deletes {@code dir} and everything under it; does nothing if it does not exist. If {@code dir} is a link to a
     * folder (an operator's way to put state on another disk), the link and the folder stay and only what the
     * folder holds is deleted: the folder's next contents then land where the operator meant them to.
     *
     * @throws UncheckedIOException if something cannot be deleted
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            boolean link = Files.isSymbolicLink(dir);
            Path top = link ? dir.toRealPath() : dir;
            try (Stream<Path> files = Files.walk(top)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) { // children before their folder
                    if (!(link && f.equals(top))) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Like {@link #deleteTree}, but logs a failure instead of throwing it; for clean-up after a run. */
    public static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getCause().toString());
        }
    }
}
