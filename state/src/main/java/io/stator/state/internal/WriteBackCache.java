package io.stator.state.internal;

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
 * Single-threaded: only the partition thread calls it. The counters are plain fields that other threads may
 * read racily for metrics (see {@link PartitionStateMetrics}).
 */
final class WriteBackCache {
    /** Estimated heap bytes of one entry beyond its key and value arrays: object, fields, array headers. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private static final int MIN_TABLE_SIZE = 64;
    private static final int MAX_TABLE_SIZE = 1 << 30;

    private final int maxEntries;
    private final long maxBytes;
    private final int lowEntries;
    private final long lowBytes;
    /** Insertion-order list sentinel: {@code sentinel.older} is the newest entry, {@code sentinel.newer} the oldest. */
    private final CacheEntry sentinel = new CacheEntry(new byte[0], 0);

    private CacheEntry[] table;
    private int resizeAt;
    private CacheEntry dirtyHead;

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

    /** Replaces the content of {@code e}, marks it dirty and used. */
    void update(CacheEntry e, byte[] value, int typeHash, long expiresAt) {
        e.value = value;
        e.typeHash = typeHash;
        e.expiresAt = expiresAt;
        bytes -= e.weight;
        e.weight = weigh(e);
        bytes += e.weight;
        markDirty(e);
        touch(e);
    }

    /** Turns {@code e} into a pending delete (absent and dirty) without changing its recency. */
    void clearValue(CacheEntry e) {
        e.value = null;
        e.typeHash = 0;
        e.expiresAt = StateValueDescriptor.NO_EXPIRY;
        bytes -= e.weight;
        e.weight = weigh(e);
        bytes += e.weight;
        markDirty(e);
    }

    /** Records that RocksDB has yet to see the current content of {@code e}. */
    void markDirty(CacheEntry e) {
        if (e.dirty) {
            return;
        }
        e.dirty = true;
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
            e.dirty = false;
            e.dirtyNext = null;
            e.dirtyPrev = null;
            e = next;
        }
        dirtyHead = null;
        dirtyCount = 0;
        return written;
    }

    /**
     * If a bound is exceeded, drops entries until both are at 15/16, writing the dirty ones through
     * {@code writer} first. Victims are chosen by second chance (CLOCK): walking from the oldest entry, one that
     * was used since it was last passed is spared once and moved to the newest end, so a hit only sets a flag
     * instead of relinking the entry.
     *
     * @return how many entries were dropped
     */
    int evictIfNeeded(DirtyEntryWriter writer) {
        if (size <= maxEntries && bytes <= maxBytes) {
            return 0;
        }
        // Invariant: every entry between the oldest end and the cursor is a victim, since spared entries move
        // past the cursor. Each entry is spared at most once, so the walk ends within two passes.
        int victims = 0;
        long freed = 0;
        boolean anyDirty = false;
        CacheEntry e = sentinel.newer;
        while (e != sentinel && (size - victims > lowEntries || bytes - freed > lowBytes)) {
            CacheEntry next = e.newer;
            if (e.referenced) {
                e.referenced = false;
                unlinkRecency(e);
                linkMostRecent(e);
            } else {
                if (e.dirty) {
                    writer.append(e);
                    anyDirty = true;
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
        for (int i = 0; i < victims; i++) {
            remove(sentinel.newer);
        }
        evictions += victims;
        return victims;
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
        if (e.dirty) {
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
        e.dirty = false;
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
