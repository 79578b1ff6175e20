package io.stator.state.internal;

import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * Reclaims the space of expired values, a slice at a time, walking the partition's RocksDB in key order and
 * wrapping around at the end. Expiry needs no {@code ValueSpec}: every value with expiry stores its deadline
 * ({@link StateValueDescriptor}).
 *
 * <p>The write-back cache stays authoritative: a key that is cached is judged by its cache entry (an expired one
 * becomes a pending delete), and only uncached keys are judged by their stored header and deleted in one batch.
 * Single-threaded: the partition thread calls it, typically when idle.
 */
final class ExpirySweeper {
    private final PartitionDb db;
    private final WriteBackCache cache;
    private final StateKeyBuffer scratch = new StateKeyBuffer();
    private final byte[] header = new byte[StateValueDescriptor.HEADER_WITH_EXPIRY_LENGTH];
    private byte[] keyBuffer = new byte[128];
    /** The first key the next slice examines; null to start from the beginning. */
    private byte[] resumeAt;

    ExpirySweeper(PartitionDb db, WriteBackCache cache) {
        this.db = db;
        this.cache = cache;
    }

    /**
     * Examines up to {@code maxKeys} stored values from where the previous call stopped.
     *
     * @return how many expired values were deleted or turned into pending deletes
     */
    int sweep(long nowMillis, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        int purged = 0;
        try (ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(options)) {
            if (resumeAt == null) {
                it.seekToFirst();
            } else {
                it.seek(resumeAt);
            }
            for (int examined = 0; examined < maxKeys && it.isValid(); examined++, it.next()) {
                int keyLength = readKey(it);
                if (isExpired(keyLength, it, nowMillis)) {
                    purged++;
                }
            }
            resumeAt = it.isValid() ? Arrays.copyOf(keyBuffer, readKey(it)) : null;
        }
        db.commit();
        return purged;
    }

    private boolean isExpired(int keyLength, RocksIterator it, long nowMillis) {
        scratch.set(keyBuffer, keyLength);
        CacheEntry cached = cache.find(scratch);
        if (cached != null) {
            if (cached.present() && cached.expiredAt(nowMillis)) {
                cache.clearValue(cached);
                return true;
            }
            return false;
        }
        int valueLength = it.value(header);
        // An undecodable value is left for get() to report; the sweep only deletes what it understands.
        if (StateValueDescriptor.validate(header, Math.min(valueLength, header.length)) != null) {
            return false;
        }
        long deadline = StateValueDescriptor.expiresAt(header);
        if (deadline == StateValueDescriptor.NO_EXPIRY || nowMillis < deadline) {
            return false;
        }
        db.appendDelete(Arrays.copyOf(keyBuffer, keyLength));
        return true;
    }

    private int readKey(RocksIterator it) {
        int length = it.key(keyBuffer);
        if (length > keyBuffer.length) {
            keyBuffer = new byte[Math.max(length, keyBuffer.length * 2)];
            length = it.key(keyBuffer);
        }
        return length;
    }
}
