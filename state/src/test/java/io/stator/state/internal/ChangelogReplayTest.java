package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * A background checkpoint is taken while the partition goes on writing, so it may already hold the first writes
 * of the segment that a restore replays onto it. Replaying must then give the same state as replaying onto the
 * checkpoint at the snapshot itself.
 */
class ChangelogReplayTest {
    private static final int KEYS = 40;

    @TempDir
    Path dir;

    /** One write of a segment: a put, or a delete when {@code value} is null. */
    private record Write(String key, String value) {
    }

    @Test
    void aSegmentReplayedOntoACheckpointHoldingPartOfItGivesTheSameState() throws Exception {
        Map<String, String> atSnapshot = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            atSnapshot.put(key(k), "base-" + k);
        }
        Random random = new Random(7);
        List<Write> segment = new ArrayList<>();
        for (int i = 0; i < 400; i++) { // keys written, deleted and written again within the segment
            String key = key(random.nextInt(KEYS));
            segment.add(random.nextInt(4) == 0 ? new Write(key, null) : new Write(key, "w" + i));
        }
        Map<String, String> expected = new TreeMap<>(atSnapshot);
        for (Write w : segment) {
            if (w.value() == null) {
                expected.remove(w.key());
            } else {
                expected.put(w.key(), w.value());
            }
        }

        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            for (int alreadyIn : new int[] {0, 1, 57, 200, segment.size()}) {
                Path folder = dir.resolve("checkpoint-holding-" + alreadyIn);
                try (RocksDB db = resources.open(folder)) {
                    for (Map.Entry<String, String> e : atSnapshot.entrySet()) {
                        db.put(bytes(e.getKey()), bytes(e.getValue()));
                    }
                    for (Write w : segment.subList(0, alreadyIn)) {
                        if (w.value() == null) {
                            db.delete(bytes(w.key()));
                        } else {
                            db.put(bytes(w.key()), bytes(w.value()));
                        }
                    }
                }
                ChangelogWriter writer = ChangelogWriter.create(folder.resolve(ChangelogReplay.fileName(2, 0)), 1 << 20,
                        1 << 20);
                for (Write w : segment) {
                    if (w.value() == null) {
                        writer.delete(bytes(w.key()));
                    } else {
                        writer.put(ByteBuffer.wrap(bytes(w.key())), ByteBuffer.wrap(bytes(w.value())));
                    }
                }
                writer.finish();

                assertEquals(new ChangelogReplay.Applied(1, 1, segment.size()),
                        ChangelogReplay.applyAll(folder, resources, "snapshot 2 partition 0"));
                assertEquals(expected, contents(resources, folder),
                        "replayed onto a checkpoint already holding " + alreadyIn + " of the segment's writes");
            }
        }
    }

    /** @return every key and value of the database in {@code folder}, as UTF-8 strings */
    static Map<String, String> contents(RocksDbResources resources, Path folder) {
        Map<String, String> found = new TreeMap<>();
        try (RocksDB db = resources.openReadOnly(folder); RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                found.put(new String(it.key(), StandardCharsets.UTF_8), new String(it.value(), StandardCharsets.UTF_8));
            }
        }
        return found;
    }

    private static String key(int k) {
        return "key-" + k;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
