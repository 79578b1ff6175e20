package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rocksdb.WriteBatch;

/** The batch array is reused between batches, but a batch of one large value does not keep its size. */
class WriteBatchRepTest {
    @Test
    void aBatchOfALargeValueDoesNotKeepItsSizeForTheNextOnes() throws Exception {
        org.rocksdb.RocksDB.loadLibrary();
        WriteBatchRep rep = new WriteBatchRep(1024);
        int first = rep.capacity();
        put(rep, new byte[3_000]); // grown, within KEPT_GROWTH times: kept for the next batch
        int grown = rep.capacity();
        assertTrue(grown > first);
        rep.reset();
        assertEquals(grown, rep.capacity(), "a modest growth is kept");

        put(rep, new byte[8 << 20]);
        assertTrue(rep.capacity() > 8 << 20);
        byte[] batch = rep.finish();
        try (WriteBatch written = new WriteBatch(batch)) {
            assertEquals(1, written.count(), "a valid batch of one record");
        }
        rep.reset();
        assertEquals(first, rep.capacity(), "back to its first size");
        put(rep, new byte[10]);
        try (WriteBatch small = new WriteBatch(rep.finish())) {
            assertEquals(1, small.count(), "the next batch is built in the new array");
        }
    }

    private static void put(WriteBatchRep rep, byte[] value) {
        rep.tag(WriteBatchRep.PUT);
        rep.bytes(new byte[] {1, 2, 3}, 0, 3);
        rep.value(7, StateValueDescriptor.NO_EXPIRY, value);
    }
}
