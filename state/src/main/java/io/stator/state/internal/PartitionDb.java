package io.stator.state.internal;

import io.stator.state.StateStoreException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.rocksdb.Checkpoint;
import org.rocksdb.EnvOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One partition's live RocksDB database and the reusable buffers to talk to it: point reads, batched writes of
 * dirty cache entries ({@link DirtyEntryWriter}), a snapshot's frozen entries (through the memtable, or as an
 * ingested SST file), checkpoints.
 *
 * <p>Writes skip the write-ahead log: the cache already holds writes back, a clean close flushes the memtable,
 * and after a crash the runtime restores the last snapshot anyway (its checkpoint flushes the memtable first),
 * so the log would only cost a second write of every value.
 *
 * <p>While a changelog segment is attached ({@link #recordChangesTo}), every put and delete the partition thread
 * writes is also appended to it, so that a snapshot can commit those writes without a checkpoint.
 *
 * <p>Threads: the partition thread reads and writes through this object; a snapshot's writer thread calls
 * {@link #writeThroughMemtable}, {@link #ingestSorted}, {@link #recordFrozen} (which have their own buffers) and
 * {@link #checkpoint}, the last while the partition thread may be writing. RocksDB itself is thread-safe.
 */
final class PartitionDb implements DirtyEntryWriter, AutoCloseable {
    private static final int INITIAL_VALUE_CAPACITY = 256;
    /** Entries per write batch of a snapshot's frozen entries: ~0.2 MB for small counters. */
    private static final int SNAPSHOT_BATCH_ENTRIES = 4096;

    private final String name;
    private final RocksDB db;
    /** The options {@link #db} was opened with, so that an SST file written for it has the same table format. */
    private final Options options;
    private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final EnvOptions envOptions = new EnvOptions();
    private final IngestExternalFileOptions ingestOptions = new IngestExternalFileOptions()
            .setMoveFiles(true) // a hard link: the file is written once
            .setWriteGlobalSeqno(false); // the sequence number goes in RocksDB's MANIFEST, not into the file
    private final BatchWriter partitionWriter = new BatchWriter();
    /** The snapshot writer thread's encoding buffers and batch. */
    private final EntryEncoder snapshotEncoder = new EntryEncoder();
    private final WriteBatchRep snapshotRep = new WriteBatchRep(256 << 10);
    private byte[] readBuffer = new byte[INITIAL_VALUE_CAPACITY];
    /** Where the partition thread's writes are also recorded, or null. */
    private ChangelogWriter changelog;
    /** For tests: while it says so, the partition thread's writes fail as a full disk makes RocksDB's fail. */
    private BooleanSupplier refuseWrites = () -> false;

    /**
     * @param name    names the partition and folder in error messages, e.g. {@code partition 3 (/data/partition-3)}
     * @param db      the open database; closed by {@link #close()}
     * @param options the options {@code db} was opened with; owned by the caller
     */
    PartitionDb(String name, RocksDB db, Options options) {
        this.name = name;
        this.db = db;
        this.options = options;
    }

    /**
     * Reads the stored value of the key in {@code key}.
     *
     * @return the value's length, with its bytes in {@link #readBuffer()}, or -1 if absent
     * @throws StateStoreException if RocksDB fails
     */
    int read(StateKeyBuffer key) {
        try {
            int length = db.get(readOptions, key.bytes(), 0, key.length(), readBuffer, 0, readBuffer.length);
            if (length > readBuffer.length) {
                readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
                length = db.get(readOptions, key.bytes(), 0, key.length(), readBuffer, 0, readBuffer.length);
            }
            return length == RocksDB.NOT_FOUND ? -1 : length;
        } catch (RocksDBException e) {
            throw new StateStoreException("RocksDB read of " + StateKeyDescriptor.describe(key.bytes(), key.length())
                    + " failed in " + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the buffer holding the last value {@link #read} found; valid until the next read */
    byte[] readBuffer() {
        return readBuffer;
    }

    @Override
    public void append(CacheEntry entry) {
        partitionWriter.append(entry);
    }

    /** Adds a delete of {@code key} to the partition thread's pending batch. */
    void appendDelete(byte[] key) {
        partitionWriter.appendDelete(key);
    }

    @Override
    public void commit() {
        partitionWriter.commit();
    }

    /** For tests: the partition thread's writes fail while {@code refuse} says so. */
    void refuseWritesWhile(BooleanSupplier refuse) {
        this.refuseWrites = refuse;
    }

    /**
     * On the partition thread: records every later write of the partition thread in {@code segment} too, or stops
     * recording if it is null.
     *
     * @return the segment attached until now, or null
     */
    ChangelogWriter recordChangesTo(ChangelogWriter segment) {
        ChangelogWriter previous = changelog;
        changelog = segment;
        return previous;
    }

    /**
     * On the snapshot writer thread: appends the frozen entries to {@code segment}, encoded as RocksDB stores them.
     * Keys are distinct, so their order does not matter.
     */
    void recordFrozen(FrozenEntries frozen, ChangelogWriter segment) {
        frozen.forEach(entry -> {
            if (entry.value == null) {
                segment.delete(entry.key);
            } else {
                segment.put(snapshotEncoder.key(entry), snapshotEncoder.value(entry));
            }
        });
    }

    /**
     * Writes {@code sorted} into the database without the memtable: as one SST file at {@code sstFile}, which
     * RocksDB then takes over (a hard link) with a sequence number above everything written before, so the entries
     * win over older values as a write would. A memtable holding keys in the file's range is flushed first.
     *
     * @param sorted  distinct keys in RocksDB's order ({@link FrozenEntries#sortedByKey}); nothing is written if empty
     * @param sstFile a path that does not exist, on the same file system as the database
     * @throws RocksDBException if RocksDB fails; the file may be left behind
     */
    void ingestSorted(CacheEntry[] sorted, Path sstFile) throws RocksDBException {
        if (sorted.length == 0) {
            return;
        }
        try (SstFileWriter writer = new SstFileWriter(envOptions, options)) {
            writer.open(sstFile.toString());
            for (CacheEntry entry : sorted) {
                if (entry.value == null) {
                    writer.delete(entry.key);
                } else {
                    writer.put(snapshotEncoder.key(entry), snapshotEncoder.value(entry));
                }
            }
            writer.finish();
        }
        db.ingestExternalFile(List.of(sstFile.toString()), ingestOptions);
    }

    /**
     * On the snapshot writer thread: writes {@code entries} through the memtable, in write batches of
     * {@link #SNAPSHOT_BATCH_ENTRIES}; RocksDB flushes them to level 0 with the other writes when the memtable is
     * full or a checkpoint asks. Each batch is built serialized in Java ({@link WriteBatchRep}) and handed over in
     * one call: a call per entry cost the writers ~6% more CPU at 1M keys (benchmarks/RESULTS.md, "Session 15").
     *
     * @param entries distinct keys, in any order (in key order they insert far faster)
     * @throws RocksDBException if RocksDB fails; the entries of earlier batches are written
     */
    void writeThroughMemtable(CacheEntry[] entries) throws RocksDBException {
        WriteBatchRep rep = snapshotRep;
        rep.reset();
        for (int i = 0; i < entries.length; i++) {
            CacheEntry entry = entries[i];
            if (entry.value == null) {
                rep.tag(WriteBatchRep.DELETE);
                rep.bytes(entry.key, 0, entry.key.length);
            } else {
                rep.tag(WriteBatchRep.PUT);
                rep.bytes(entry.key, 0, entry.key.length);
                rep.value(entry.typeHash, entry.expiresAt, entry.value);
            }
            if (rep.records() == SNAPSHOT_BATCH_ENTRIES || i == entries.length - 1) {
                try (WriteBatch batch = new WriteBatch(rep.finish())) {
                    db.write(writeOptions, batch);
                }
                rep.reset();
            }
        }
    }

    /**
     * Writes a checkpoint: the memtable is flushed, then every live file is hard-linked into {@code target}.
     *
     * @param target a folder that does not exist yet, on the same file system; its parent must exist
     * @throws RocksDBException if RocksDB fails
     */
    void checkpoint(Path target) throws RocksDBException {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        }
    }

    /** @return whether the database holds no key at all */
    boolean isEmpty() {
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seekToFirst();
            return !it.isValid();
        }
    }

    /** @return a new iterator over the live database; the caller closes it */
    RocksIterator newIterator(ReadOptions options) {
        return db.newIterator(options);
    }

    /** @return the total size of the live SST files, or -1 if RocksDB cannot tell */
    long liveSstBytes() {
        try {
            return db.getLongProperty("rocksdb.live-sst-files-size");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Flushes the memtable to SST files and waits for it. */
    void flushMemtable() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new StateStoreException("RocksDB memtable flush failed in " + name + ": " + e.getMessage(), e);
        }
    }

    /** Compacts the whole key space; used by tests and tools to measure the settled size. */
    void compact() {
        try {
            db.compactRange();
        } catch (RocksDBException e) {
            throw new StateStoreException("RocksDB compaction failed in " + name + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the memtable (writes skip the log, so this is what makes them survive) and closes every handle. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Closes every handle; flushes the memtable first if asked. Without the flush, the writes since the last flush
     * are lost: for a store abandoned on a full disk, whose next start restores the last snapshot anyway.
     */
    void close(boolean flush) {
        try {
            if (flush) {
                flushMemtable();
            }
        } finally {
            partitionWriter.close();
            readOptions.close();
            writeOptions.close();
            envOptions.close();
            ingestOptions.close();
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw new StateStoreException("closing RocksDB failed in " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A write batch with its encoding buffers; used by one thread at a time. */
    private final class BatchWriter implements DirtyEntryWriter {
        private final WriteBatch batch = new WriteBatch();
        private final EntryEncoder encoder = new EntryEncoder();
        private int batchedEntries;

        @Override
        public void append(CacheEntry entry) {
            try {
                if (entry.value == null) {
                    batch.delete(entry.key);
                    if (changelog != null) {
                        changelog.delete(entry.key);
                    }
                } else {
                    ByteBuffer key = encoder.key(entry);
                    ByteBuffer value = encoder.value(entry);
                    batch.put(key, value);
                    if (changelog != null) {
                        changelog.put(key.rewind(), value.rewind());
                    }
                }
                batchedEntries++;
            } catch (RocksDBException e) {
                batch.clear();
                batchedEntries = 0;
                throw new StateStoreException("cannot add " + StateKeyDescriptor.describe(entry.key, entry.key.length)
                        + " to a write batch in " + name + ": " + e.getMessage(), e);
            }
        }

        void appendDelete(byte[] key) {
            try {
                batch.delete(key);
                if (changelog != null) {
                    changelog.delete(key);
                }
                batchedEntries++;
            } catch (RocksDBException e) {
                throw new StateStoreException("cannot add a delete to a write batch in " + name + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void commit() {
            if (batchedEntries == 0) {
                return;
            }
            try {
                if (refuseWrites.getAsBoolean()) {
                    throw new RocksDBException("While appending to file: No space left on device (refused by a test)");
                }
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw new StateStoreException("RocksDB write of " + batchedEntries + " entries failed in " + name
                        + ": " + e.getMessage(), e);
            } finally {
                batch.clear();
                batchedEntries = 0;
            }
        }

        void close() {
            batch.close();
        }
    }

    /**
     * Encodes an entry's key and stored value ({@link StateValueDescriptor}) into reused direct buffers, which
     * RocksDB reads without a copy into a Java array; used by one thread at a time.
     */
    private static final class EntryEncoder {
        private ByteBuffer keyBuffer = ByteBuffer.allocateDirect(256);
        private ByteBuffer valueBuffer = ByteBuffer.allocateDirect(INITIAL_VALUE_CAPACITY);

        /** @return the key, valid until the next call */
        ByteBuffer key(CacheEntry entry) {
            if (keyBuffer.capacity() < entry.key.length) {
                keyBuffer = ByteBuffer.allocateDirect(Math.max(entry.key.length, keyBuffer.capacity() * 2));
            }
            return keyBuffer.clear().put(entry.key).flip();
        }

        /** @return the stored value of a present entry, valid until the next call */
        ByteBuffer value(CacheEntry entry) {
            int length = StateValueDescriptor.headerLength(entry.expiresAt) + entry.value.length;
            if (valueBuffer.capacity() < length) {
                valueBuffer = ByteBuffer.allocateDirect(Math.max(length, valueBuffer.capacity() * 2));
            }
            ByteBuffer v = valueBuffer.clear();
            StateValueDescriptor.writeHeader(v, entry.typeHash, entry.expiresAt);
            return v.put(entry.value).flip();
        }
    }
}
