package io.stator.state.internal;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The write-back cache in front of one partition's RocksDB: a hash table keyed by encoded key bytes, with
 * second-chance (CLOCK) eviction, an approximation of least-recently-used, bounded by entry count and by bytes.
 *
 * <ul>
 *   <li>Hits allocate nothing: the caller encodes the key into a reused {@link StateKeyBuffer}, the table is
 *       chained through the entries themselves, and the eviction-order and dirty lists are intrusive; a hit
 *       only sets the entry's second-chance flag.</li>
 *   <li>Writes only mark entries dirty. {@link #flush} hands every dirty entry to a {@link DirtyEntryWriter} in
 *       one batch; eviction does the same for the dirty entries among its victims before dropping them, so an
 *       eviction never loses a write.</li>
 *   <li>Eviction runs when a bound is exceeded and goes down to 15/16 of both bounds at once, so one RocksDB
 *       batch carries many evicted entries instead of one each.</li>
 * </ul>
 *
 * <p><b>Freezing for a snapshot.</b> {@link #freeze} hands the whole dirty list to a snapshot's writer thread in
 * constant time: the list is detached and the cache moves to a new epoch, so entries dirtied in the old epoch
 * are "frozen" (being written) and new writes start a new dirty list. Until {@link #thaw}:
 * <ul>
 *   <li>a frozen entry is never modified: a write to it replaces it in the table with a fresh copy
 *       ({@link #writable}), so the writer reads stable content without locks;</li>
 *   <li>nothing may be written to RocksDB by the partition thread (the snapshot's checkpoint must hold exactly
 *       the frozen state): frozen and dirty entries are pinned, eviction only drops clean ones, and
 *       {@link #flush} is refused. The cache may then exceed its bounds; {@link #overHardLimit} tells the caller
 *       when to wait for the writer instead.</li>
 *   <li>once the snapshot is stored and only the writing of its entries into RocksDB is left
 *       ({@link #storedWhileFrozen}), eviction may write dirty entries again, except copies of frozen entries:
 *       their keys' older values are still being written, and a later write of the older value would win. Other
 *       keys are not frozen (a frozen key always has its entry or its copy in the table), so the writer's writes
 *       and these never touch the same key.</li>
 * </ul>
 * {@link #thaw thaw(true)} makes every frozen entry clean without visiting it (its epoch is now written);
 * {@link #thaw thaw(false)}, after a failed write, puts the frozen entries back on the dirty list.
 *
 * Single-threaded: only the partition thread calls it. The counters are plain fields that other threads may
 * read racily for metrics (see {@link PartitionStateMetrics}).
 */
final class WriteBackCache {
    /** Estimated heap bytes of one entry beyond its key and value arrays: object, fields, array headers. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private static final int MIN_TABLE_SIZE = 64;
    private static final int MAX_TABLE_SIZE = 1 << 30;
    private static final long NOT_FROZEN = -1;

    private final int maxEntries;
    private final long maxBytes;
    private final int lowEntries;
    private final long lowBytes;
    /** Insertion-order list sentinel: {@code sentinel.older} is the newest entry, {@code sentinel.newer} the oldest. */
    private final CacheEntry sentinel = new CacheEntry(new byte[0], 0);

    private CacheEntry[] table;
    private int resizeAt;
    private CacheEntry dirtyHead;
    /** Entries made dirty now get this epoch. */
    private long epoch = 1;
    /** The epoch being written by a snapshot, or {@link #NOT_FROZEN}. */
    private long frozenEpoch = NOT_FROZEN;
    private FrozenEntries frozen;
    /** While frozen: whether the snapshot is stored, so that eviction may write dirty entries that are not copies. */
    private boolean frozenStored;
    /** A frozen eviction walk's victims, removed once their writes are committed; reused. */
    private final ArrayList<CacheEntry> frozenVictims = new ArrayList<>();
    /** While frozen: no eviction walk until the cache grows to these again, since the last walk freed too little. */
    private int nextFrozenWalkSize;
    private long nextFrozenWalkBytes;

    int size;
    long bytes;
    int dirtyCount;
    long evictions;

    /**
     * @param maxEntries the most entries kept, at least 1
     * @param maxBytes   the most bytes kept (keys, values and {@link #ENTRY_OVERHEAD_BYTES} per entry), at least 1
     */
    WriteBackCache(int maxEntries, long maxBytes) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache maxEntries must be at least 1, was " + maxEntries);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("cache maxBytes must be at least 1, was " + maxBytes);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.lowEntries = maxEntries - Math.max(1, maxEntries / 16);
        this.lowBytes = maxBytes - Math.max(1, maxBytes / 16);
        sentinel.older = sentinel;
        sentinel.newer = sentinel;
        allocateTable(MIN_TABLE_SIZE);
    }

    /** @return the entry for the key in {@code key}, or null; does not change recency */
    CacheEntry find(StateKeyBuffer key) {
        int h = key.hash();
        for (CacheEntry e = table[h & (table.length - 1)]; e != null; e = e.bucketNext) {
            if (e.hash == h && key.contentEquals(e.key)) {
                return e;
            }
        }
        return null;
    }

    /** Records a use of {@code e}, which spares it at the next eviction. */
    void touch(CacheEntry e) {
        e.referenced = true;
    }

    /**
     * Adds an entry for a key that is not cached yet, at the newest end. Does not evict: call
     * {@link #evictIfNeeded} once the caller is done with the entry.
     *
     * @param value     the payload, or null for an absent key
     * @param dirty     whether RocksDB has yet to see this content
     */
    CacheEntry insert(StateKeyBuffer key, byte[] value, int typeHash, long expiresAt, boolean dirty) {
        CacheEntry e = new CacheEntry(key.copy(), key.hash());
        e.value = value;
        e.typeHash = typeHash;
        e.expiresAt = expiresAt;
        e.weight = weigh(e);
        int slot = e.hash & (table.length - 1);
        e.bucketNext = table[slot];
        table[slot] = e;
        linkMostRecent(e);
        size++;
        bytes += e.weight;
        if (dirty) {
            markDirty(e);
        }
        if (size > resizeAt) {
            grow();
        }
        return e;
    }

    /**
     * Replaces the content of {@code e}, marks it dirty and used.
     *
     * @return the entry now holding the key: {@code e}, or its replacement if {@code e} was frozen
     */
    CacheEntry update(CacheEntry e, byte[] value, int typeHash, long expiresAt) {
        e = writable(e);
        e.value = value;
        e.typeHash = typeHash;
        e.expiresAt = expiresAt;
        bytes -= e.weight;
        e.weight = weigh(e);
        bytes += e.weight;
        markDirty(e);
        touch(e);
        return e;
    }

    /** Turns {@code e} (or its replacement, if frozen) into a pending delete without changing its recency. */
    void clearValue(CacheEntry e) {
        e = writable(e);
        e.value = null;
        e.typeHash = 0;
        e.expiresAt = StateValueDescriptor.NO_EXPIRY;
        bytes -= e.weight;
        e.weight = weigh(e);
        bytes += e.weight;
        markDirty(e);
    }

    /** Moves the expiry deadline of {@code e} (or of its replacement, if frozen) and marks it dirty. */
    void setExpiry(CacheEntry e, long expiresAt) {
        e = writable(e);
        e.expiresAt = expiresAt;
        markDirty(e);
    }

    /** @return whether RocksDB has yet to see the content of {@code e}: dirty, or frozen and being written */
    boolean pending(CacheEntry e) {
        return dirty(e) || frozen(e);
    }

    /** @return whether {@code e} is on the current dirty list */
    private boolean dirty(CacheEntry e) {
        return e.dirtyEpoch == epoch;
    }

    /** @return whether {@code e} is being written by a snapshot and must not be modified */
    private boolean frozen(CacheEntry e) {
        return frozenEpoch != NOT_FROZEN && e.dirtyEpoch == frozenEpoch;
    }

    /** @return whether a snapshot's writer owns the frozen entries and RocksDB writes must wait */
    boolean isFrozen() {
        return frozenEpoch != NOT_FROZEN;
    }

    /**
     * While frozen: the snapshot is stored (its changelog holds the frozen entries) and the caller records its
     * RocksDB writes for the next snapshot again; from now until {@link #thaw}, eviction may write and drop dirty
     * entries that are not copies of frozen ones. See the class comment.
     */
    void storedWhileFrozen() {
        frozenStored = isFrozen();
        nextFrozenWalkSize = 0; // a walk that freed too little before may free dirty entries now
        nextFrozenWalkBytes = 0;
    }

    /** @return whether a frozen-phase eviction must leave {@code e} in place */
    private boolean pinned(CacheEntry e) {
        return frozen(e) || dirty(e) && (!frozenStored || e.copyOfEpoch == frozenEpoch);
    }

    /** Records that RocksDB has yet to see the current content of {@code e}, which must not be frozen. */
    private void markDirty(CacheEntry e) {
        if (dirty(e)) {
            return;
        }
        e.dirtyEpoch = epoch;
        e.dirtyPrev = null;
        e.dirtyNext = dirtyHead;
        if (dirtyHead != null) {
            dirtyHead.dirtyPrev = e;
        }
        dirtyHead = e;
        dirtyCount++;
    }

    /**
     * Writes every dirty entry through {@code writer} in one batch, then marks them clean.
     *
     * @return how many entries were written
     */
    int flush(DirtyEntryWriter writer) {
        if (isFrozen()) {
            throw new IllegalStateException("the cache cannot flush while a snapshot writes its frozen entries");
        }
        if (dirtyHead == null) {
            return 0;
        }
        for (CacheEntry e = dirtyHead; e != null; e = e.dirtyNext) {
            writer.append(e);
        }
        writer.commit();
        int written = dirtyCount;
        CacheEntry e = dirtyHead;
        while (e != null) {
            CacheEntry next = e.dirtyNext;
            e.dirtyEpoch = 0;
            e.dirtyNext = null;
            e.dirtyPrev = null;
            e = next;
        }
        dirtyHead = null;
        dirtyCount = 0;
        return written;
    }

    /**
     * Detaches the dirty list for a snapshot's writer and starts a new epoch; see the class comment. The caller
     * must {@link #thaw} before the next freeze.
     *
     * @return the frozen entries, possibly none
     */
    FrozenEntries freeze() {
        if (isFrozen()) {
            throw new IllegalStateException("the cache is already frozen for a snapshot");
        }
        FrozenEntries frozen = new FrozenEntries(dirtyHead, dirtyCount);
        this.frozen = frozen;
        frozenEpoch = epoch;
        epoch++;
        dirtyHead = null;
        dirtyCount = 0;
        nextFrozenWalkSize = 0;
        nextFrozenWalkBytes = 0;
        return frozen;
    }

    /**
     * Ends the frozen phase once the snapshot's writer is done with the entries.
     *
     * @param written whether RocksDB now holds every frozen entry; if not, they become dirty again (those replaced
     *                meanwhile are superseded by their dirty replacements)
     */
    void thaw(boolean written) {
        if (!isFrozen()) {
            return;
        }
        FrozenEntries thawed = frozen;
        frozen = null;
        frozenEpoch = NOT_FROZEN;
        frozenStored = false;
        if (written) {
            return;
        }
        for (CacheEntry e : thawed.entries()) { // unlinked: markDirty links it anew
            if (!e.superseded) {
                markDirty(e);
            }
        }
    }

    /** @return whether a bound is exceeded */
    boolean overBounds() {
        return size > maxEntries || bytes > maxBytes;
    }

    /** @return whether the cache reached one and a half times a bound, which only happens while frozen */
    boolean overHardLimit() {
        return size - maxEntries >= Math.max(1, maxEntries / 2) || bytes - maxBytes >= Math.max(1, maxBytes / 2);
    }

    /**
     * If a bound is exceeded, drops entries until both are at 15/16, writing the dirty ones through
     * {@code writer} first. Victims are chosen by second chance (CLOCK): walking from the oldest entry, one that
     * was used since it was last passed is spared once and moved to the newest end, so a hit only sets a flag
     * instead of relinking the entry.
     *
     * <p>While frozen, only clean entries are dropped and nothing is written (once the snapshot is stored, dirty
     * entries other than copies of frozen ones are written and dropped too); a walk that frees too little is not
     * repeated until the cache has grown by another 1/16, so a cache full of pinned entries costs no walk per call.
     *
     * @return how many entries were dropped
     */
    int evictIfNeeded(DirtyEntryWriter writer) {
        if (!overBounds()) {
            return 0;
        }
        boolean frozenNow = isFrozen();
        if (frozenNow && size < nextFrozenWalkSize && bytes < nextFrozenWalkBytes) {
            return 0;
        }
        // Invariant: every entry between the oldest end and the cursor is a victim, since spared entries move
        // past the cursor. Each entry is spared at most once, so the walk ends within two passes.
        int victims = 0;
        long freed = 0;
        boolean anyDirty = false;
        frozenVictims.clear(); // left over if the last walk's commit threw
        CacheEntry e = sentinel.newer;
        while (e != sentinel && (size - victims > lowEntries || bytes - freed > lowBytes)) {
            CacheEntry next = e.newer;
            if (frozenNow && pinned(e)) {
                e = next; // pinned until the snapshot's writer is done
                continue;
            }
            if (e.referenced) {
                e.referenced = false;
                unlinkRecency(e);
                linkMostRecent(e);
            } else {
                if (dirty(e)) {
                    writer.append(e);
                    anyDirty = true;
                }
                if (frozenNow) {
                    frozenVictims.add(e);
                }
                victims++;
                freed += e.weight;
            }
            e = next;
        }
        if (anyDirty) {
            // If this throws, nothing was dropped: the victims are still cached and dirty.
            writer.commit();
        }
        if (frozenNow) {
            // Pinned entries stay among the victims' neighbours, so exactly the victims the walk chose (and whose
            // writes were just committed) are removed where they are.
            for (CacheEntry victim : frozenVictims) {
                remove(victim);
            }
            frozenVictims.clear();
            if (overBounds()) {
                nextFrozenWalkSize = size + Math.max(1, maxEntries / 16);
                nextFrozenWalkBytes = bytes + Math.max(1, maxBytes / 16);
            }
        } else {
            for (int i = 0; i < victims; i++) {
                remove(sentinel.newer);
            }
        }
        evictions += victims;
        return victims;
    }

    /**
     * Replaces a frozen entry in the table and the recency list by a clean copy the partition may change; the
     * frozen original is left to the snapshot's writer.
     */
    private CacheEntry writable(CacheEntry e) {
        if (!frozen(e)) {
            return e;
        }
        CacheEntry copy = new CacheEntry(e.key, e.hash);
        copy.copyOfEpoch = frozenEpoch;
        copy.value = e.value;
        copy.typeHash = e.typeHash;
        copy.expiresAt = e.expiresAt;
        copy.weight = e.weight;
        copy.referenced = e.referenced;
        int slot = e.hash & (table.length - 1);
        if (table[slot] == e) {
            table[slot] = copy;
        } else {
            CacheEntry c = table[slot];
            while (c.bucketNext != e) {
                c = c.bucketNext;
            }
            c.bucketNext = copy;
        }
        copy.bucketNext = e.bucketNext;
        copy.older = e.older;
        copy.newer = e.newer;
        e.older.newer = copy;
        e.newer.older = copy;
        e.superseded = true;
        return copy;
    }

    /** Drops every entry without writing anything; for a store whose RocksDB is gone. */
    void clear() {
        Arrays.fill(table, null);
        sentinel.older = sentinel;
        sentinel.newer = sentinel;
        dirtyHead = null;
        size = 0;
        bytes = 0;
        dirtyCount = 0;
    }

    private void remove(CacheEntry e) {
        unlinkRecency(e);
        if (dirty(e)) {
            unlinkDirty(e);
        }
        int slot = e.hash & (table.length - 1);
        CacheEntry prev = null;
        for (CacheEntry c = table[slot]; c != null; prev = c, c = c.bucketNext) {
            if (c == e) {
                if (prev == null) {
                    table[slot] = c.bucketNext;
                } else {
                    prev.bucketNext = c.bucketNext;
                }
                break;
            }
        }
        e.bucketNext = null;
        size--;
        bytes -= e.weight;
    }

    private void unlinkDirty(CacheEntry e) {
        if (e.dirtyPrev == null) {
            dirtyHead = e.dirtyNext;
        } else {
            e.dirtyPrev.dirtyNext = e.dirtyNext;
        }
        if (e.dirtyNext != null) {
            e.dirtyNext.dirtyPrev = e.dirtyPrev;
        }
        e.dirtyNext = null;
        e.dirtyPrev = null;
        e.dirtyEpoch = 0;
        dirtyCount--;
    }

    private void linkMostRecent(CacheEntry e) {
        CacheEntry mru = sentinel.older;
        e.older = mru;
        e.newer = sentinel;
        mru.newer = e;
        sentinel.older = e;
    }

    private static void unlinkRecency(CacheEntry e) {
        e.older.newer = e.newer;
        e.newer.older = e.older;
    }

    private static int weigh(CacheEntry e) {
        return ENTRY_OVERHEAD_BYTES + e.key.length + (e.value == null ? 0 : e.value.length);
    }

    private void grow() {
        if (table.length >= MAX_TABLE_SIZE) {
            resizeAt = Integer.MAX_VALUE;
            return;
        }
        CacheEntry[] old = table;
        allocateTable(old.length * 2);
        int mask = table.length - 1;
        for (CacheEntry head : old) {
            CacheEntry e = head;
            while (e != null) {
                CacheEntry next = e.bucketNext;
                int slot = e.hash & mask;
                e.bucketNext = table[slot];
                table[slot] = e;
                e = next;
            }
        }
    }

    private void allocateTable(int length) {
        table = new CacheEntry[length];
        resizeAt = (int) (length * 0.75f);
    }
}
