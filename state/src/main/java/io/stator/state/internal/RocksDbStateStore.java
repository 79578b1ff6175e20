package io.stator.state.internal;

import io.stator.sdk.Address;
import io.stator.sdk.Expiration;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotHandle;
import io.stator.state.SnapshotStore;
import io.stator.state.SnapshottableStateStore;
import io.stator.state.StateMetrics;
import io.stator.state.StateStoreException;
import io.stator.state.StateTypeMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's keyed state: a {@link WriteBackCache} in front of a RocksDB database, with expiry and
 * snapshots. Created by {@code RocksDbStateBackend.openPartition}; not part of the public API.
 *
 * <p>A read or write encodes its key into one reused buffer and looks it up in the cache; only a miss reads
 * RocksDB, and the result, even "absent", is cached. Writes stay in the cache until {@link #flush()}, a
 * snapshot, eviction or {@link #close()} writes them in one batch.
 *
 * <p>Expiry: a write stores the deadline {@code now + duration} for {@code AFTER_WRITE} and {@code AFTER_CALL}
 * specs; an {@code AFTER_CALL} read moves it. A value past its deadline reads as absent at once and becomes a
 * pending delete; {@link #purgeExpired} reclaims the others. The deadline is fixed at write time, so changing a
 * spec's duration affects values written afterwards.
 *
 * <p>Snapshots: the partition thread only freezes the dirty entries ({@link WriteBackCache#freeze}, constant
 * time) and hands them, with the changelog segment of its RocksDB writes since the previous snapshot, to the
 * store's {@link SnapshotWriter}, which stores the snapshot (by the changelog, or by a full checkpoint) and writes
 * the entries to RocksDB. Until the snapshot is stored (and, for a full one, until RocksDB holds the entries and
 * the checkpoint exists) the partition thread writes nothing to RocksDB (a checkpoint must hold exactly the state at
 * its snapshot, and a segment exactly the writes between two snapshots): writes stay in the cache, dirty entries
 * are not evicted, and the cache may grow to 1.5 times its bounds before the partition waits for the writer (a
 * stall, counted in {@link StateMetrics#snapshotStalls()}, as is a wait of the next snapshot for a writer still
 * busy with the previous one). Once a changelog snapshot is stored, while its entries still go through the
 * memtable, the partition records its writes into the next segment and evicts dirty entries again, except copies
 * of frozen ones ({@link WriteBackCache#storedWhileFrozen}). {@link #flush()} and {@link #close()} wait for the
 * writer.
 *
 * <p>Single-threaded: only the partition thread calls it, except {@link #metrics()}.
 */
public final class RocksDbStateStore implements SnapshottableStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStateStore.class);

    private final int partition;
    private final KeyGroupRange keyGroups;
    private final PartitionDb db;
    private final WriteBackCache cache;
    private final StateKeyBuffer key = new StateKeyBuffer();
    /**
     * What {@link #key} holds, by identity: a call's put usually follows its get of the same state, and encoding
     * and hashing the key again was ~5% of a partition's CPU in W1 (JFR). Addresses are immutable.
     */
    private int keyGroupInKey = -1;
    private Address addressInKey;
    private String stateNameInKey;
    private final PartitionStateMetrics metrics;
    private final ExpirySweeper sweeper;
    /** Stores snapshots and writes frozen entries, one snapshot at a time; null without a snapshot store. */
    private final SnapshotWriter snapshotWriter;
    private final Runnable onClose;
    /** The snapshot whose frozen entries are being written (and checkpointed), or null. */
    private CompletableFuture<?> checkpointing;
    /** Completes once that snapshot's changelog is stored (the changelog way only); null when checkpointing is. */
    private CompletableFuture<?> stored;
    /** Whether the partition records into the next segment and evicts again already; see thawAndEvictIfNeeded. */
    private boolean recordingAhead;
    /** After a failed write of evicted entries, when to try again; see {@link #evict()}. */
    private final StateWriteBackoff writeBackoff;
    private boolean closed;
    /** Set by {@link #abandon()} from any thread: stop waiting for RocksDB, and write nothing at close. */
    private volatile boolean abandoned;
    private volatile boolean waitingForWrites;
    private volatile Thread waiter;

    /**
     * Opens (or creates) the partition's database.
     *
     * @param dir         the partition's RocksDB folder, e.g. {@code <dataDir>/partition-3}
     * @param checkpoints where this partition's local checkpoints go, on the same file system as {@code dir}
     * @param uploader    copies checkpoints to the snapshot store; null if snapshots are not configured
     * @param checkpointEvery a RocksDB checkpoint every this many snapshots, changelogs between ({@link SnapshotWriter})
     * @param changelogPartBytes the most bytes of one changelog file
     * @param onClose     run once after the store is closed (the backend forgets it)
     */
    RocksDbStateStore(int partition, KeyGroupRange keyGroups, Path dir, Path checkpoints, RocksDbResources resources,
                      int cacheMaxEntries, long cacheMaxBytes, SnapshotUploader uploader, int checkpointEvery,
                      long changelogPartBytes, Runnable onClose) {
        this.partition = partition;
        this.keyGroups = keyGroups;
        this.onClose = onClose;
        this.cache = new WriteBackCache(cacheMaxEntries, cacheMaxBytes);
        this.metrics = new PartitionStateMetrics(cache);
        this.writeBackoff = new StateWriteBackoff("partition " + partition, System::nanoTime);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateStoreException("cannot create the folder of partition " + partition + ": " + dir, e);
        }
        this.db = new PartitionDb("partition " + partition + " (" + dir + ")", resources.open(dir), resources.options());
        this.sweeper = new ExpirySweeper(db, cache);
        PartitionManifest restored = RestoredLineage.take(dir, keyGroups);
        this.snapshotWriter = uploader == null ? null
                : new SnapshotWriter(partition, keyGroups, checkpoints, db, uploader, metrics, checkpointEvery,
                        changelogPartBytes, db.isEmpty(), restored);
        if (snapshotWriter != null) {
            db.recordChangesTo(snapshotWriter.takeNextSegment());
        }
        metrics.liveSstBytes = db.liveSstBytes();
    }

    @Override
    public byte[] get(int keyGroup, Address address, ValueSpec<?> spec, long nowMillis) {
        encodeKey(keyGroup, address, spec);
        CacheEntry e = cache.find(key);
        if (e != null) {
            metrics.hits++;
            cache.touch(e);
        } else {
            metrics.misses++;
            e = load();
        }
        byte[] value = readValue(e, address, spec, nowMillis);
        thawAndEvictIfNeeded();
        return value;
    }

    @Override
    public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value, long nowMillis) {
        Objects.requireNonNull(value, "value");
        encodeKey(keyGroup, address, spec);
        long expiresAt = deadline(spec.expiration(), nowMillis);
        int typeHash = typeHash(spec);
        CacheEntry e = cache.find(key);
        if (e == null) {
            cache.insert(key, value, typeHash, expiresAt, true);
        } else {
            cache.update(e, value, typeHash, expiresAt);
        }
        thawAndEvictIfNeeded();
    }

    @Override
    public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
        encodeKey(keyGroup, address, spec);
        CacheEntry e = cache.find(key);
        if (e == null) {
            // Unknown to the cache: RocksDB may hold it, so a delete must be written.
            cache.insert(key, null, 0, StateValueDescriptor.NO_EXPIRY, true);
        } else if (e.present() || cache.pending(e)) {
            cache.update(e, null, 0, StateValueDescriptor.NO_EXPIRY);
        }
        thawAndEvictIfNeeded();
    }

    @Override
    public void flush() {
        checkOpen();
        awaitCheckpoint();
        cache.flush(db);
        metrics.liveSstBytes = db.liveSstBytes();
    }

    @Override
    public int purgeExpired(long nowMillis, int maxKeys) {
        checkOpen();
        if (!checkpointDone(false)) {
            return 0; // the sweep writes deletes to RocksDB, which must wait for the checkpoint
        }
        int purged = sweeper.sweep(nowMillis, maxKeys);
        metrics.expiredPurged += purged;
        return purged;
    }

    @Override
    public SnapshotHandle snapshot(long snapshotId) {
        return snapshot(snapshotId, false);
    }

    @Override
    public SnapshotHandle snapshot(long snapshotId, boolean checkpoint) {
        checkOpen();
        if (snapshotWriter == null) {
            throw new IllegalStateException("partition " + partition + " cannot snapshot: the backend has no"
                    + " SnapshotStore (set RocksDbStateBackend.Builder.snapshotStore)");
        }
        SnapshotStore.checkSnapshotId(snapshotId);
        long start = System.nanoTime();
        stallForCheckpoint(); // normally long done: it had a whole snapshot interval
        FrozenEntries frozen = cache.freeze();
        ChangelogWriter segment = db.recordChangesTo(null);
        long syncNanos = System.nanoTime() - start;
        metrics.lastSyncNanos = syncNanos;
        SnapshotWriter.Started started = snapshotWriter.start(snapshotId, frozen, segment, checkpoint, syncNanos);
        checkpointing = started.written();
        stored = started.stored();
        metrics.writing(checkpointing);
        return new SnapshotHandle(snapshotId, partition, syncNanos, started.durable());
    }

    /**
     * Ends the previous snapshot's frozen phase if its checkpoint is done, or, if {@code wait}, once it is.
     *
     * @return whether no checkpoint is in progress any more
     */
    private boolean checkpointDone(boolean wait) {
        CompletableFuture<?> c = checkpointing;
        if (c == null) {
            return true;
        }
        if (!c.isDone()) {
            if (!wait) {
                return false;
            }
            try {
                c.join();
            } catch (CompletionException | CancellationException e) {
                // Reported through the snapshot's handle; here it only means the entries are not written.
            }
        }
        checkpointing = null;
        stored = null;
        cache.thaw(!c.isCompletedExceptionally());
        if (!recordingAhead) {
            db.recordChangesTo(snapshotWriter.takeNextSegment()); // null after a failure: the next snapshot is full
        } // else recording since the changelog was stored; after a failure the next snapshot is full and drops it
        recordingAhead = false;
        return true;
    }

    private void awaitCheckpoint() {
        checkpointDone(true);
    }

    /**
     * Ends a finished checkpoint's frozen phase and keeps the cache within its bounds; see the class comment for
     * what changes while a checkpoint runs.
     */
    private void thawAndEvictIfNeeded() {
        if (checkpointing != null && checkpointing.isDone()) {
            checkpointDone(false); // thaw at once: frozen entries would otherwise be copied on write until then
        } else if (checkpointing != null && !recordingAhead && stored.isDone()) {
            // The snapshot is stored; only its entries' memtable write is left. Record the next segment from here
            // on, then let eviction write keys the frozen entries do not hold: the cache need not outgrow its bounds
            // (at 1M keys the memtable write took 100-400 ms, and nearly every message adds a dirty entry).
            db.recordChangesTo(snapshotWriter.takeNextSegment());
            cache.storedWhileFrozen();
            recordingAhead = true;
        }
        if (!cache.overBounds()) {
            return;
        }
        evict();
        if (checkpointing != null && cache.overHardLimit()) {
            stallForCheckpoint();
            evict();
        }
        if (writeBackoff.failing() && cache.overHardLimit()) {
            awaitWrites();
        }
    }

    /** Memory is bounded: processing waits until RocksDB takes writes, or until the store is abandoned. */
    private void awaitWrites() {
        waiter = Thread.currentThread();
        waitingForWrites = true;
        try {
            while (!abandoned && writeBackoff.failing() && cache.overHardLimit()) {
                writeBackoff.awaitRetry(cache.size);
                evict();
            }
        } finally {
            waitingForWrites = false;
        }
    }

    @Override
    public boolean waitingForWrites() {
        return waitingForWrites;
    }

    @Override
    public void abandon() {
        abandoned = true;
        Thread w = waiter;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w); // cuts the back-off's park short
        }
    }

    /**
     * Evicts down to the cache's bounds, writing dirty victims to RocksDB. If RocksDB refuses the write (a full
     * disk), nothing is dropped and the call returns normally: a put or delete has already changed the cache, and
     * an exception would leave its invocation half applied (the runtime would deliver the message again). The
     * entries stay dirty and cached, and a later call tries again after a back-off; {@link #thawAndEvictIfNeeded}
     * waits once the cache reaches 1.5 times its bounds.
     */
    private void evict() {
        if (!writeBackoff.mayTry()) {
            return;
        }
        try {
            cache.evictIfNeeded(db);
            writeBackoff.succeeded();
        } catch (StateStoreException e) {
            metrics.writeFailures++;
            writeBackoff.failed(e);
        }
    }

    /** Waits for a running checkpoint, counting the wait as a stall if there was one. */
    private void stallForCheckpoint() {
        if (checkpointing == null || checkpointing.isDone()) {
            checkpointDone(false);
            return;
        }
        long start = System.nanoTime();
        awaitCheckpoint();
        metrics.snapshotStalled(System.nanoTime() - start);
    }

    @Override
    public StateMetrics metrics() {
        return metrics;
    }

    /** For tests: the partition thread's writes to RocksDB fail, as on a full disk, while {@code refuse} says so. */
    void refuseWritesWhile(java.util.function.BooleanSupplier refuse) {
        db.refuseWritesWhile(refuse);
    }

    /** For tests: runs {@code hook} on the writer thread before each changelog snapshot's memtable write. */
    void beforeMemtableWrite(Runnable hook) {
        snapshotWriter.beforeMemtableWrite(hook);
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    /** Compacts the database; lets tests and tools measure the settled on-disk size per value. */
    public void compact() {
        checkOpen();
        flush();
        db.flushMemtable();
        db.compact();
        metrics.liveSstBytes = db.liveSstBytes();
    }

    /** Writes pending changes, flushes the memtable and releases every native handle. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitCheckpoint(); // also when abandoned: the checkpoint's thread uses the database
            if (!abandoned) {
                ChangelogWriter segment = db.recordChangesTo(null);
                if (segment != null) {
                    segment.discard(); // a clean close leaves the state in RocksDB; the next snapshot will be full
                }
                cache.flush(db);
            }
        } finally {
            if (snapshotWriter != null) {
                snapshotWriter.close();
            }
            cache.clear();
            try {
                db.close(!abandoned);
            } finally {
                onClose.run();
            }
        }
    }

    private void encodeKey(int keyGroup, Address address, ValueSpec<?> spec) {
        checkOpen();
        if (!keyGroups.contains(keyGroup)) {
            throw new IllegalArgumentException("key group " + keyGroup + " of " + address + " is not owned by partition "
                    + partition + ", which holds key groups " + keyGroups);
        }
        String stateName = spec.name();
        if (keyGroup == keyGroupInKey && address == addressInKey && stateName == stateNameInKey) {
            return;
        }
        addressInKey = null; // in case encoding fails halfway
        key.encode(keyGroup, address, stateName);
        keyGroupInKey = keyGroup;
        addressInKey = address;
        stateNameInKey = stateName;
    }

    private CacheEntry load() {
        int length = db.read(key);
        if (length < 0) {
            return cache.insert(key, null, 0, StateValueDescriptor.NO_EXPIRY, false);
        }
        byte[] stored = db.readBuffer();
        String problem = StateValueDescriptor.validate(stored, length);
        if (problem != null) {
            throw new StateStoreException("partition " + partition + ": "
                    + StateKeyDescriptor.describe(key.bytes(), key.length()) + " is unreadable: " + problem);
        }
        byte[] payload = Arrays.copyOfRange(stored, StateValueDescriptor.payloadOffset(stored), length);
        return cache.insert(key, payload, StateValueDescriptor.typeHash(stored), StateValueDescriptor.expiresAt(stored),
                false);
    }

    private byte[] readValue(CacheEntry e, Address address, ValueSpec<?> spec, long nowMillis) {
        if (!e.present()) {
            return null;
        }
        if (e.expiredAt(nowMillis)) {
            cache.clearValue(e);
            metrics.expiredPurged++;
            return null;
        }
        if (e.typeHash != typeHash(spec)) {
            throw new StateTypeMismatchException("state '" + spec.name() + "' of " + address
                    + " holds a value of another type than " + spec.typeName() + ", which its ValueSpec declares");
        }
        byte[] value = e.value;
        if (spec.expiration().mode() == Expiration.Mode.AFTER_CALL) {
            cache.setExpiry(e, deadline(spec.expiration(), nowMillis));
        }
        return value;
    }

    private static int typeHash(ValueSpec<?> spec) {
        return spec.typeName().asString().hashCode();
    }

    /** @return the deadline of a value written or read now, or {@link StateValueDescriptor#NO_EXPIRY} */
    private static long deadline(Expiration expiration, long nowMillis) {
        if (expiration.mode() == Expiration.Mode.NONE) {
            return StateValueDescriptor.NO_EXPIRY;
        }
        long deadline = nowMillis + expiration.durationMillis();
        // Saturate instead of overflowing, and never collide with the "no expiry" sentinel.
        return deadline < nowMillis || deadline == StateValueDescriptor.NO_EXPIRY ? StateValueDescriptor.NO_EXPIRY - 1
                : deadline;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the state store of partition " + partition + " is closed");
        }
    }
}
