package io.stator.state.internal;

import io.stator.state.RocksDbStateConfig;
import io.stator.state.SnapshotCorruptedException;
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
    /**
     * Names a segment file in a snapshot: the prefix, then the id of the snapshot that wrote it, then for every
     * part after the first ({@link ChangelogWriter}) a dot and the part's number.
     */
    static final String PREFIX = "stator-changelog-";
    /**
     * A segment file larger than this is not one: the writer starts a new part before one passes
     * {@link RocksDbStateConfig#MAX_CHANGELOG_PART_BYTES}. Replay holds a file and its write batch in memory.
     */
    private static final long MAX_SEGMENT_BYTES = 2 * RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES;

    private ChangelogReplay() {
    }

    /** @return the file name of part {@code part} (from 0) of the segment snapshot {@code snapshotId} writes */
    static String fileName(long snapshotId, int part) {
        return part == 0 ? PREFIX + snapshotId : PREFIX + snapshotId + "." + part;
    }

    /** @return whether a snapshot file of this name is (a part of) a changelog segment */
    static boolean isSegment(String name) {
        return name.startsWith(PREFIX);
    }

    /** @return whether a snapshot file of this name is the first part of a changelog segment: one per snapshot */
    static boolean startsSegment(String name) {
        return isSegment(name) && name.indexOf('.', PREFIX.length()) < 0;
    }

    /** @return the id of the snapshot that wrote the segment file of this name */
    static long snapshotIdOf(String name) {
        int dot = name.indexOf('.', PREFIX.length());
        return Long.parseLong(dot < 0 ? name.substring(PREFIX.length()) : name.substring(PREFIX.length(), dot));
    }

    /** @return the part number (from 0) of the segment file of this name */
    static int partOf(String name) {
        int dot = name.indexOf('.', PREFIX.length());
        return dot < 0 ? 0 : Integer.parseInt(name.substring(dot + 1));
    }

    /**
     * What one partition's replay applied.
     *
     * @param segments the snapshots' segments, one per snapshot that wrote a changelog
     * @param files    their files: more than {@code segments} when a segment came in parts
     * @param records  the records (puts and deletes) in them
     */
    record Applied(int segments, int files, long records) {
        static final Applied NOTHING = new Applied(0, 0, 0);
    }

    /**
     * Applies every segment in {@code folder} to the database there and deletes the segments.
     *
     * @param where names the partition's snapshot in error messages
     * @return what was applied; {@link Applied#NOTHING} (and the database untouched) if there is no segment
     * @throws SnapshotCorruptedException naming the segment if it is not a whole changelog
     */
    static Applied applyAll(Path folder, RocksDbResources resources, String where)
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
            return Applied.NOTHING;
        }
        segments.sort(Comparator.<Path>comparingLong(f -> snapshotIdOf(f.getFileName().toString()))
                .thenComparingInt(f -> partOf(f.getFileName().toString())));
        long applied = 0;
        int starts = 0;
        try (RocksDB db = resources.open(folder);
             WriteOptions noLog = new WriteOptions().setDisableWAL(true);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (Path segment : segments) {
                applied += apply(segment, db, noLog, where + " file " + segment.getFileName());
                starts += startsSegment(segment.getFileName().toString()) ? 1 : 0;
            }
            db.flush(flush); // the writes skipped the log: the memtable must reach an SST before close
        } catch (RocksDBException e) {
            throw new IOException("cannot apply the changelog of " + where + " in " + folder + ": " + e, e);
        }
        for (Path segment : segments) {
            Files.delete(segment);
        }
        return new Applied(starts, segments.size(), applied);
    }

    /**
     * Applies one segment as a single write batch, handed to RocksDB in its serialized form: one call into RocksDB
     * for the whole segment. A restore runs in a fresh JVM, where reading and putting record by record from Java
     * took ~5 µs a record; now the Java part is under 1 µs, and what is left is RocksDB inserting the keys, in no
     * order, into its memtable (benchmarks/RESULTS.md, "Session 14").
     */
    private static long apply(Path segment, RocksDB db, WriteOptions options, String where)
            throws IOException, RocksDBException, SnapshotCorruptedException {
        if (Files.size(segment) > MAX_SEGMENT_BYTES) {
            throw new SnapshotCorruptedException(where + " is corrupt: " + Files.size(segment)
                    + " bytes, more than a segment can hold");
        }
        byte[] file = Files.readAllBytes(segment);
        WriteBatchRep rep = new WriteBatchRep(file.length);
        int records = 0;
        int at = 0;
        while (at < file.length) {
            byte op = file[at++];
            if (op != ChangelogWriter.PUT && op != ChangelogWriter.DELETE) {
                throw new SnapshotCorruptedException(where + " is corrupt: record " + records + " has type " + op);
            }
            rep.tag(op == ChangelogWriter.PUT ? WriteBatchRep.PUT : WriteBatchRep.DELETE);
            at = copyField(file, at, rep, records, where);
            if (op == ChangelogWriter.PUT) {
                at = copyField(file, at, rep, records, where);
            }
            records++;
        }
        if (records > 0) {
            try (WriteBatch batch = new WriteBatch(rep.finish())) {
                db.write(options, batch);
            }
        }
        return records;
    }

    /** Copies the length-prefixed field at {@code at} of {@code file} into {@code rep}; @return the offset after it */
    private static int copyField(byte[] file, int at, WriteBatchRep rep, int records, String where)
            throws SnapshotCorruptedException {
        if (file.length - at < Integer.BYTES) {
            throw new SnapshotCorruptedException(where + " is truncated after " + records + " records");
        }
        int length = (file[at] & 0xFF) << 24 | (file[at + 1] & 0xFF) << 16 | (file[at + 2] & 0xFF) << 8
                | file[at + 3] & 0xFF;
        if (length < 0 || length > (1 << 30)) {
            throw new SnapshotCorruptedException(where + " is corrupt: a record claims " + length + " bytes");
        }
        at += Integer.BYTES;
        if (file.length - at < length) {
            throw new SnapshotCorruptedException(where + " is truncated after " + records + " records");
        }
        rep.bytes(file, at, length);
        return at + length;
    }
}
