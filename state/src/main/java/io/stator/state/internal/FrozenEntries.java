package io.stator.state.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * The dirty entries a {@link WriteBackCache} froze for one snapshot: a detached dirty list that the snapshot's
 * writer thread reads while the partition thread goes on (it never modifies a frozen entry; see
 * {@link WriteBackCache#freeze}). The list is walked once, into an array: entries lie all over the heap, and each
 * walk of 100k of them was a cache miss per entry (at 1M keys, the writer walked it five times, one walk only to
 * unlink it).
 *
 * <p>One thread at a time: the writer, then (after a failed write, handed over by the snapshot's completion) the
 * partition thread.
 */
final class FrozenEntries {
    private static final int AFTER_KEY_GROUP =
            StateKeyDescriptor.KEY_GROUP_OFFSET + StateKeyDescriptor.KEY_GROUP_LENGTH;
    /** Orders the keys of one key group: they can differ only after the key group. */
    private static final Comparator<CacheEntry> WITHIN_KEY_GROUP = (a, b) -> Arrays.compareUnsigned(
            a.key, AFTER_KEY_GROUP, a.key.length, b.key, AFTER_KEY_GROUP, b.key.length);
    private CacheEntry head;
    private final int count;
    /** The entries in list order, once {@link #entries} has walked the list. */
    private CacheEntry[] entries;

    FrozenEntries(CacheEntry head, int count) {
        this.head = head;
        this.count = count;
    }

    /**
     * @return the entries in list order; the first call walks the list. It only reads: the walk is on the way to
     *     the snapshot's changelog, which exactly-once output waits for, and writing to every entry there made
     *     snapshots longer ({@link #sortedByKey}, after it, unlinks them)
     */
    CacheEntry[] entries() {
        if (entries == null) {
            CacheEntry[] list = new CacheEntry[count];
            int n = 0;
            for (CacheEntry e = head; e != null; e = e.dirtyNext) {
                list[n++] = e;
            }
            if (n != count) {
                throw new IllegalStateException("the frozen list holds " + n + " entries, " + count + " were frozen");
            }
            entries = list;
            head = null;
        }
        return entries;
    }

    /** @return how many entries were frozen */
    int count() {
        return count;
    }

    /**
     * Sorts the frozen entries, and unlinks their list as it reads them, both ways, so that entries that stay in
     * the cache keep none that are evicted reachable (the partition thread never reads a frozen entry's links).
     *
     * @return the frozen entries in RocksDB's key order (unsigned bytewise), as an SST file needs them; a key is on
     *         a dirty list at most once, so the keys are distinct
     */
    CacheEntry[] sortedByKey() {
        CacheEntry[] list = entries();
        CacheEntry[] sorted = new CacheEntry[count];
        if (count == 0) {
            return sorted;
        }
        // A key starts with its big-endian key group: a counting sort by key group, then a sort within each group
        // (sortGroup). For 5,000 entries the split by group alone took the sort's CPU time from ~2.2 to ~0.8 ms.
        // Each key is read once for its group; the passes after that read only the arrays.
        int[] groups = new int[count];
        int minGroup = Integer.MAX_VALUE;
        int maxGroup = -1;
        for (int i = 0; i < count; i++) {
            CacheEntry e = list[i];
            e.dirtyNext = null;
            e.dirtyPrev = null;
            int g = keyGroup(e);
            groups[i] = g;
            minGroup = Math.min(minGroup, g);
            maxGroup = Math.max(maxGroup, g);
        }
        int[] next = new int[maxGroup - minGroup + 2];
        for (int g : groups) {
            next[g - minGroup + 1]++;
        }
        for (int i = 1; i < next.length; i++) {
            next[i] += next[i - 1]; // next[g] is now where group minGroup + g starts
        }
        for (int i = 0; i < count; i++) {
            sorted[next[groups[i] - minGroup]++] = list[i];
        }
        int from = 0;
        for (int end : next) { // next[g] is now where group minGroup + g ends
            if (end - from > 1) {
                sortGroup(sorted, from, end);
            }
            from = end;
        }
        return sorted;
    }

    /**
     * Sorts the entries of one key group, {@code a[from, to)}, at least two. Their keys share a prefix (the key
     * group, usually the function type, often part of the id); the 8 bytes after it mostly tell them apart. So the
     * entries are sorted by those bytes as unsigned longs (a primitive sort, each entry's index in the low bits of
     * its long) and only runs whose bytes tie there are sorted by whole keys. A comparison sort of entries took a
     * third of the snapshot writer's CPU at 1M keys: each comparison reads two keys spread over the heap.
     */
    private static void sortGroup(CacheEntry[] a, int from, int to) {
        byte[] first = a[from].key;
        int shared = first.length;
        for (int i = from + 1; i < to && shared > AFTER_KEY_GROUP; i++) {
            byte[] key = a[i].key;
            int m = Arrays.mismatch(first, AFTER_KEY_GROUP, shared, key, AFTER_KEY_GROUP, Math.min(shared, key.length));
            if (m >= 0) {
                shared = AFTER_KEY_GROUP + m;
            }
        }
        int n = to - from;
        int indexBits = 32 - Integer.numberOfLeadingZeros(n - 1);
        long windowMask = -1L << indexBits;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            // Flipping the top bit makes the signed order of the longs the unsigned order of the bytes.
            order[i] = (window(a[from + i].key, shared) & windowMask ^ Long.MIN_VALUE) | i;
        }
        Arrays.sort(order);
        CacheEntry[] group = Arrays.copyOfRange(a, from, to);
        int tieStart = 0;
        for (int i = 0; i < n; i++) {
            a[from + i] = group[(int) (order[i] & ~windowMask)];
            if (i > 0 && (order[i] & windowMask) != (order[i - 1] & windowMask)) {
                sortTies(a, from + tieStart, from + i);
                tieStart = i;
            }
        }
        sortTies(a, from + tieStart, to);
    }

    /** Sorts by whole keys entries whose 8 bytes after the shared prefix tie (a key may end there: zeros follow). */
    private static void sortTies(CacheEntry[] a, int from, int to) {
        if (to - from > 1) {
            Arrays.sort(a, from, to, WITHIN_KEY_GROUP);
        }
    }

    /** @return the 8 bytes of {@code key} from {@code offset}, big-endian, zeros past its end */
    private static long window(byte[] key, int offset) {
        long w = 0;
        for (int i = offset; i < offset + Long.BYTES; i++) {
            w = w << 8 | (i < key.length ? key[i] & 0xFF : 0);
        }
        return w;
    }

    /** Calls {@code action} with every frozen entry, in no particular order. */
    void forEach(Consumer<CacheEntry> action) {
        for (CacheEntry e : entries()) {
            action.accept(e);
        }
    }

    private static int keyGroup(CacheEntry e) {
        return (e.key[StateKeyDescriptor.KEY_GROUP_OFFSET] & 0xFF) << 8
                | e.key[StateKeyDescriptor.KEY_GROUP_OFFSET + 1] & 0xFF;
    }
}
