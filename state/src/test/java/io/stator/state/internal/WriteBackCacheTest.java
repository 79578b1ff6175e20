package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The write-back cache's snapshot protocol on its own: what a snapshot's writer reads from frozen entries while
 * the partition goes on writing, and what becomes dirty or clean afterwards.
 */
class WriteBackCacheTest {
    private static final TypeName TYPE = TypeName.typeNameOf("test", "fn");
    private static final long NO_EXPIRY = StateValueDescriptor.NO_EXPIRY;

    /** Records what reaches "RocksDB": key text to value text, null for a delete. */
    private static final class RecordingWriter implements DirtyEntryWriter {
        final Map<String, String> written = new LinkedHashMap<>();
        private final Map<String, String> batch = new LinkedHashMap<>();

        @Override
        public void append(CacheEntry entry) {
            batch.put(name(entry.key), entry.value == null ? null : new String(entry.value));
        }

        @Override
        public void commit() {
            written.putAll(batch);
            batch.clear();
        }
    }

    private final StateKeyBuffer key = new StateKeyBuffer();

    private StateKeyBuffer key(String id) {
        key.encode(0, new Address(TYPE, id), "v");
        return key;
    }

    private static String name(byte[] encodedKey) {
        StateKeyBuffer k = new StateKeyBuffer();
        for (int i = 0; i < 1_000; i++) {
            k.encode(0, new Address(TYPE, "k" + i), "v");
            if (k.contentEquals(encodedKey)) {
                return "k" + i;
            }
        }
        throw new AssertionError("unknown key");
    }

    private CacheEntry put(WriteBackCache cache, String id, String value) {
        CacheEntry e = cache.find(key(id));
        if (e == null) {
            return cache.insert(key(id), value.getBytes(), 1, NO_EXPIRY, true);
        }
        return cache.update(e, value.getBytes(), 1, NO_EXPIRY);
    }

    private String read(WriteBackCache cache, String id) {
        CacheEntry e = cache.find(key(id));
        return e == null || e.value == null ? null : new String(e.value);
    }

    @Test
    void theWriterSeesTheFrozenValuesWhileTheCacheServesNewerOnes() {
        WriteBackCache cache = new WriteBackCache(100, 1 << 20);
        CacheEntry k0 = put(cache, "k0", "a");
        put(cache, "k1", "b");

        FrozenEntries frozen = cache.freeze();
        CacheEntry k0After = put(cache, "k0", "a2");
        cache.clearValue(cache.find(key("k1")));
        put(cache, "k2", "c");

        assertNotSame(k0, k0After, "a frozen entry is replaced, not changed");
        assertEquals("a", new String(k0.value));
        assertEquals("a2", read(cache, "k0"));
        assertNull(read(cache, "k1"));
        Map<String, String> snapshot = new LinkedHashMap<>();
        for (CacheEntry e : frozen.sortedByKey()) {
            snapshot.put(name(e.key), e.value == null ? null : new String(e.value));
        }
        assertEquals(Map.of("k0", "a", "k1", "b"), snapshot, "exactly the state at the freeze");
        assertEquals(2, frozen.count());
        assertEquals(2 + 1, cache.dirtyCount, "the replacements and the new key are dirty in the new epoch");

        cache.thaw(true);
        RecordingWriter next = new RecordingWriter();
        cache.flush(next);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("k0", "a2");
        expected.put("k1", null);
        expected.put("k2", "c");
        assertEquals(expected, next.written);
    }

    /** Key groups 128 and up start with a byte that is negative as a Java byte: the order must be unsigned. */
    @Test
    void theFrozenEntriesComeInRocksDbKeyOrder() {
        WriteBackCache cache = new WriteBackCache(1_000, 1 << 20);
        int[] keyGroups = {300, 1, 255, 127, 128, 0};
        for (int i = 0; i < 300; i++) {
            key.encode(keyGroups[i % keyGroups.length], new Address(TYPE, "k" + (i * 7 % 300)), "v");
            cache.insert(key, new byte[] {1}, 1, NO_EXPIRY, true);
        }
        CacheEntry[] sorted = cache.freeze().sortedByKey();

        assertEquals(300, sorted.length);
        for (int i = 1; i < sorted.length; i++) {
            assertTrue(Arrays.compareUnsigned(sorted[i - 1].key, sorted[i].key) < 0, "ascending at " + i);
        }
        assertEquals(0, (sorted[0].key[0] & 0xFF) << 8 | sorted[0].key[1] & 0xFF, "key group 0 first");
        CacheEntry last = sorted[sorted.length - 1];
        assertEquals(300, (last.key[0] & 0xFF) << 8 | last.key[1] & 0xFF, "key group 300 last");
    }

    @Test
    void afterAFailedWriteTheFrozenEntriesAreDirtyAgainUnlessReplaced() {
        WriteBackCache cache = new WriteBackCache(100, 1 << 20);
        put(cache, "k0", "a");
        put(cache, "k1", "b");
        cache.freeze();
        put(cache, "k1", "b2");

        cache.thaw(false);

        RecordingWriter next = new RecordingWriter();
        assertEquals(2, cache.flush(next));
        assertEquals(Map.of("k0", "a", "k1", "b2"), next.written, "the replacement wins over its frozen original");
        assertEquals(0, cache.dirtyCount);
    }

    /**
     * As above, after the writer had sorted the entries before it failed. The sort unlinks the frozen list, both
     * ways, so that clean entries keep no evicted ones alive; the thaw then works from the entries it read.
     */
    @Test
    void theWritersSortUnlinksTheFrozenListAndAFailedWriteStillMakesItDirtyAgain() {
        WriteBackCache cache = new WriteBackCache(100, 1 << 20);
        put(cache, "k0", "a");
        put(cache, "k1", "b");
        put(cache, "k2", "c");
        CacheEntry[] sorted = cache.freeze().sortedByKey();
        assertEquals(3, sorted.length);
        for (CacheEntry e : sorted) {
            assertNull(e.dirtyNext, name(e.key));
            assertNull(e.dirtyPrev, name(e.key));
        }
        put(cache, "k1", "b2");

        cache.thaw(false);

        RecordingWriter next = new RecordingWriter();
        assertEquals(3, cache.flush(next));
        assertEquals(Map.of("k0", "a", "k1", "b2", "k2", "c"), next.written);
    }

    @Test
    void afterASuccessfulWriteTheFrozenEntriesAreCleanWithoutAVisit() {
        WriteBackCache cache = new WriteBackCache(100, 1 << 20);
        put(cache, "k0", "a");
        FrozenEntries frozen = cache.freeze();
        frozen.entries(); // the writer's walk
        cache.thaw(true);

        assertFalse(cache.pending(cache.find(key("k0"))));
        assertEquals(0, cache.flush(new RecordingWriter()));
    }

    @Test
    void whileFrozenNothingIsWrittenAndOnlyCleanEntriesAreEvicted() {
        WriteBackCache cache = new WriteBackCache(16, 1 << 20);
        for (int i = 0; i < 8; i++) {
            put(cache, "k" + i, "v" + i);
        }
        RecordingWriter writer = new RecordingWriter();
        cache.flush(writer);
        writer.written.clear();
        put(cache, "k0", "dirty"); // frozen below
        cache.freeze();
        for (int i = 8; i < 20; i++) {
            put(cache, "k" + i, "v" + i); // dirty in the new epoch
            cache.evictIfNeeded(writer);
        }

        assertTrue(writer.written.isEmpty(), "nothing reaches RocksDB before the checkpoint: " + writer.written);
        assertEquals("dirty", read(cache, "k0"), "a frozen entry is pinned");
        for (int i = 8; i < 20; i++) {
            assertEquals("v" + i, read(cache, "k" + i), "a dirty entry is pinned");
        }
        assertTrue(cache.size <= 16, "clean entries made room: " + cache.size);
        assertThrows(IllegalStateException.class, () -> cache.flush(writer));
        assertThrows(IllegalStateException.class, cache::freeze);
    }

    /**
     * Once the snapshot is stored, only the memtable write of its entries is left: eviction writes and drops dirty
     * entries of keys the snapshot does not hold, while the frozen entries and the copies of frozen entries (whose
     * older values are still being written) stay.
     */
    @Test
    void onceStoredEvictionWritesNewKeysButNotFrozenEntriesNorTheirCopies() {
        WriteBackCache cache = new WriteBackCache(16, 1 << 20);
        for (int i = 0; i < 8; i++) {
            put(cache, "k" + i, "old" + i); // dirty: frozen below
        }
        FrozenEntries frozen = cache.freeze();
        for (int i = 0; i < 4; i++) {
            put(cache, "k" + i, "new" + i); // copies of frozen entries
        }
        RecordingWriter writer = new RecordingWriter();
        for (int i = 8; i < 16; i++) {
            put(cache, "k" + i, "v" + i);
            cache.evictIfNeeded(writer);
        }
        assertTrue(writer.written.isEmpty(), "nothing written before the snapshot is stored: " + writer.written);

        cache.storedWhileFrozen();
        for (int i = 16; i < 40; i++) {
            put(cache, "k" + i, "v" + i);
            cache.evictIfNeeded(writer);
            assertFalse(cache.overHardLimit(), "the cache keeps near its bound: " + cache.size + " at k" + i);
        }
        assertFalse(writer.written.isEmpty(), "new keys were written and evicted");
        for (int i = 0; i < 8; i++) {
            assertFalse(writer.written.containsKey("k" + i), "k" + i + " is frozen or a copy of a frozen entry");
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("new" + i, read(cache, "k" + i), "a copy stays cached and dirty");
        }
        for (int i = 4; i < 8; i++) {
            assertEquals("old" + i, read(cache, "k" + i), "a frozen entry stays cached");
        }
        for (int i = 8; i < 40; i++) {
            String cached = read(cache, "k" + i);
            assertEquals("v" + i, cached != null ? cached : writer.written.get("k" + i), "k" + i + " is not lost");
        }
        assertEquals(8, frozen.entries().length, "the writer's entries are untouched");

        cache.thaw(true);
        cache.flush(writer);
        for (int i = 0; i < 4; i++) {
            assertEquals("new" + i, writer.written.get("k" + i), "after the thaw the copies are written");
        }
    }

    @Test
    void pinnedEntriesMayPassTheBoundsUntilTheHardLimit() {
        WriteBackCache cache = new WriteBackCache(16, 1 << 20);
        cache.freeze();
        RecordingWriter writer = new RecordingWriter();
        for (int i = 0; i < 24; i++) {
            assertFalse(cache.overHardLimit(), "at " + i + " entries");
            put(cache, "k" + i, "v" + i);
            cache.evictIfNeeded(writer);
        }
        assertEquals(24, cache.size);
        assertTrue(cache.overHardLimit(), "16 + 16/2 entries reach the hard limit");

        cache.thaw(true);
        cache.evictIfNeeded(writer);
        assertTrue(cache.size <= 16, "after the thaw eviction writes and drops: " + cache.size);
        assertEquals(24 - cache.size, writer.written.size());
    }

    @Test
    void anEntryReplacedWhileFrozenKeepsItsBucketAndRecencyNeighbours() {
        WriteBackCache cache = new WriteBackCache(100, 1 << 20);
        for (int i = 0; i < 50; i++) {
            put(cache, "k" + i, "v" + i);
        }
        cache.freeze();
        for (int i = 0; i < 50; i += 2) {
            put(cache, "k" + i, "w" + i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals((i % 2 == 0 ? "w" : "v") + i, read(cache, "k" + i));
        }
        assertEquals(50, cache.size);
        CacheEntry replaced = cache.find(key("k4"));
        assertSame(replaced, cache.find(key("k4")));
        assertArrayEquals("w4".getBytes(), replaced.value);
    }
}
