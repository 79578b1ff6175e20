package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.StateStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.SstFileWriter;

/**
 * Builds a new partition's database from the key groups it takes over from old partitions' checkpoints: for each
 * old checkpoint it scans the key-group prefix range the two partitions share (keys start with the key group,
 * {@link StateKeyDescriptor}), writes it to an SST file in key order, and ingests all the files into the new
 * database at once, bypassing the memtable and the write path.
 *
 * <p>Old checkpoints are opened read-only once and kept open until {@link #close()}, since several new partitions
 * may read the same old one. Used by one thread.
 */
final class KeyGroupRewriter implements AutoCloseable {
    private final RocksDbResources resources;
    private final Path sstFolder;
    private final Map<Path, RocksDB> opened = new HashMap<>();

    /**
     * @param sstFolder a scratch folder for the SST files; on the same file system as the new databases so
     *                  ingestion moves them instead of copying
     */
    KeyGroupRewriter(RocksDbResources resources, Path sstFolder) {
        this.resources = resources;
        this.sstFolder = sstFolder;
    }

    /**
     * One old checkpoint to read from.
     *
     * @param checkpoint the local folder of the old partition's checkpoint
     * @param keyGroups  the key groups the old partition held
     */
    record Source(Path checkpoint, KeyGroupRange keyGroups) {
    }

    /**
     * Creates the database at {@code target} holding exactly the values of {@code keyGroups} found in
     * {@code sources}.
     *
     * @param sources old checkpoints, sorted by first key group, together covering {@code keyGroups}
     * @return how many values were copied
     */
    long rewrite(KeyGroupRange keyGroups, List<Source> sources, Path target) {
        List<String> files = new ArrayList<>();
        long entries = 0;
        try {
            Files.createDirectories(sstFolder);
            for (Source source : sources) {
                int first = Math.max(keyGroups.first(), source.keyGroups().first());
                int last = Math.min(keyGroups.last(), source.keyGroups().last());
                if (first > last) {
                    continue;
                }
                Path sst = sstFolder.resolve(target.getFileName() + "-kg" + first + "-" + last + ".sst");
                long copied = copyRange(open(source.checkpoint()), first, last, sst);
                if (copied > 0) {
                    files.add(sst.toString());
                }
                entries += copied;
            }
            Files.createDirectories(target);
            ingest(target, files);
            return entries;
        } catch (RocksDBException | java.io.IOException e) {
            throw new StateStoreException("cannot rebuild key groups " + keyGroups + " into " + target + ": " + e, e);
        }
    }

    private long copyRange(RocksDB old, int first, int last, Path sst) throws RocksDBException {
        long copied = 0;
        try (Slice upperBound = new Slice(StateKeyDescriptor.keyGroupPrefix(last + 1));
             ReadOptions options = new ReadOptions().setFillCache(false).setReadaheadSize(2 << 20)
                     .setIterateUpperBound(upperBound);
             RocksIterator it = old.newIterator(options);
             EnvOptions env = new EnvOptions();
             SstFileWriter writer = new SstFileWriter(env, resources.options())) {
            for (it.seek(StateKeyDescriptor.keyGroupPrefix(first)); it.isValid(); it.next()) {
                if (copied == 0) {
                    writer.open(sst.toString());
                }
                writer.put(it.key(), it.value());
                copied++;
            }
            it.status();
            if (copied > 0) {
                writer.finish();
            }
        }
        return copied;
    }

    private void ingest(Path target, List<String> files) throws RocksDBException {
        try (RocksDB db = resources.open(target);
             IngestExternalFileOptions options = new IngestExternalFileOptions().setMoveFiles(true)) {
            if (!files.isEmpty()) {
                db.ingestExternalFile(files, options);
            }
        }
    }

    private RocksDB open(Path checkpoint) {
        return opened.computeIfAbsent(checkpoint, resources::openReadOnly);
    }

    /** Closes the old checkpoints opened so far. */
    @Override
    public void close() {
        opened.values().forEach(RocksDB::close);
        opened.clear();
    }
}
