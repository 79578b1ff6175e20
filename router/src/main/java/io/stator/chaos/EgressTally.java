package io.stator.chaos;

import io.stator.egress.EgressReader;
import io.stator.sdk.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Counts the committed records of one egress log of the chaos node, read straight from its folder (read-only,
 * also while the node appends from its own process). Records are strings; each distinct one is counted, so a
 * duplicate shows as a count above one. Single-threaded.
 */
final class EgressTally implements AutoCloseable {
    private static final int POLL_LIMIT = 4096;
    private static final int MAX_POLLS = 10_000;

    private final Path folder;
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<String> inOrder = new ArrayList<>();
    private EgressReader reader;

    /** @param folder the log's folder, {@code DATA/egress/NS/NAME}; it may not exist yet */
    EgressTally(Path folder) {
        this.folder = folder;
    }

    /**
     * Reads every committed record available now.
     *
     * @return how many records it read
     */
    int poll() {
        if (reader == null) {
            if (!hasQueueFile(folder)) {
                return 0; // nothing emitted yet
            }
            reader = EgressReader.open(folder, 0, true);
        }
        int read = 0;
        for (int i = 0; i < MAX_POLLS; i++) {
            int n = reader.poll((offset, epoch, type, value) -> {
                String record = Types.stringType().deserialize(value);
                counts.merge(record, 1, Integer::sum);
                inOrder.add(record);
            }, POLL_LIMIT);
            read += n;
            if (n < POLL_LIMIT) {
                break;
            }
        }
        return read;
    }

    /** @return how often each record was seen */
    Map<String, Integer> counts() {
        return counts;
    }

    /** @return every record, in log order */
    List<String> records() {
        return inOrder;
    }

    /** @return how many records were read */
    int total() {
        return inOrder.size();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private static boolean hasQueueFile(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the egress folder " + folder, e);
        }
    }
}
