package io.stator.state.internal;

import io.stator.state.SnapshotCorruptedException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Brings a restored checkpoint up to its snapshot: applies the changelog segments ({@link ChangelogWriter}) that a
 * partition's snapshot lists after its checkpoint files, oldest first, then deletes them from the folder. A
 * snapshot of a store that opened empty may list segments and no checkpoint: they are applied to a new database. Used by
 * restore on a downloaded partition folder, before the folder is moved into place or rewritten for rescaling.
 */
final class ChangelogReplay {
    /** Names a segment file in a snapshot: the prefix, then the id of the snapshot that wrote it. */
    static final String PREFIX = "stator-changelog-";
    private static final int BATCH_BYTES = 4 << 20;

    private ChangelogReplay() {
    }

    /** @return the file name of the segment snapshot {@code snapshotId} writes */
    static String fileName(long snapshotId) {
        return PREFIX + snapshotId;
    }

    /** @return whether a snapshot file of this name is a changelog segment */
    static boolean isSegment(String name) {
        return name.startsWith(PREFIX);
    }

    /** @return the id of the snapshot that wrote the segment of this name */
    static long snapshotIdOf(String name) {
        return Long.parseLong(name.substring(PREFIX.length()));
    }

    /**
     * Applies every segment in {@code folder} to the database there and deletes the segments.
     *
     * @param where names the partition's snapshot in error messages
     * @return how many records were applied; 0 (and the database untouched) if there is no segment
     * @throws SnapshotCorruptedException naming the segment if it is not a whole changelog
     */
    static long applyAll(Path folder, RocksDbResources resources, String where)
            throws IOException, SnapshotCorruptedException {
        List<Path> segments = new ArrayList<>();
        for (Path f : FileTrees.filesIn(folder)) {
            if (isSegment(f.getFileName().toString())) {
                segments.add(f);
            }
        }
        if (segments.isEmpty()) {
            if (!Files.exists(folder.resolve("CURRENT"))) {
                resources.open(folder).close(); // a store that started empty and has nothing yet: an empty database
            }
            return 0;
        }
        segments.sort(Comparator.comparingLong(f -> snapshotIdOf(f.getFileName().toString())));
        long applied = 0;
        try (RocksDB db = resources.open(folder);
             WriteOptions noLog = new WriteOptions().setDisableWAL(true);
             WriteBatch batch = new WriteBatch();
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (Path segment : segments) {
                applied += apply(segment, db, noLog, batch, where + " file " + segment.getFileName());
            }
            db.flush(flush); // the writes skipped the log: the memtable must reach an SST before close
        } catch (RocksDBException e) {
            throw new IOException("cannot apply the changelog of " + where + " in " + folder + ": " + e, e);
        }
        for (Path segment : segments) {
            Files.delete(segment);
        }
        return applied;
    }

    private static long apply(Path segment, RocksDB db, WriteOptions options, WriteBatch batch, String where)
            throws IOException, RocksDBException, SnapshotCorruptedException {
        long records = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(segment), 1 << 16))) {
            int op;
            while ((op = in.read()) >= 0) {
                byte[] key = readBytes(in, where);
                if (op == ChangelogWriter.PUT) {
                    batch.put(key, readBytes(in, where));
                } else if (op == ChangelogWriter.DELETE) {
                    batch.delete(key);
                } else {
                    throw new SnapshotCorruptedException(where + " is corrupt: record " + records + " has type " + op);
                }
                records++;
                if (batch.getDataSize() >= BATCH_BYTES) {
                    db.write(options, batch);
                    batch.clear();
                }
            }
        } catch (EOFException e) {
            throw new SnapshotCorruptedException(where + " is truncated after " + records + " records", e);
        }
        db.write(options, batch);
        batch.clear();
        return records;
    }

    private static byte[] readBytes(DataInputStream in, String where) throws IOException, SnapshotCorruptedException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 30)) {
            throw new SnapshotCorruptedException(where + " is corrupt: a record claims " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
