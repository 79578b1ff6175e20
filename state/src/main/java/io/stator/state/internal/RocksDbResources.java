package io.stator.state.internal;

import io.stator.state.StateStoreException;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB options shared by every partition of a backend (and by a restorer): one block cache, one Bloom
 * filter policy, one {@link Options}. Owns those native handles; close it after every database opened with it.
 *
 * <p>Tuned for many small values read by point lookups:
 * <ul>
 *   <li>LZ4 on every level: cheap to decompress on a point read, and small keys with shared prefixes compress well;</li>
 *   <li>a 10-bit-per-key Bloom filter on whole keys (about 1% false positives), so a read of an absent key
 *       rarely touches a data block; plus a memtable Bloom filter for keys written since the last flush;</li>
 *   <li>index and filter blocks held by the open table readers, outside the block cache (about 1.3 bytes per
 *       key): when they shared the cache, a random-read pattern larger than the cache evicted a 300 KB filter
 *       block and reloaded it on the next read, which made reads several times slower;</li>
 *   <li>one shared LRU block cache, so partitions share the memory budget;</li>
 *   <li>dynamic level sizing, which keeps space amplification near 1.1;</li>
 *   <li>a new MANIFEST once it reaches {@link #MAX_MANIFEST_BYTES}: every flush, ingestion and compaction
 *       appends to it (~200 bytes each; once a second per partition when snapshots ingested), and every
 *       checkpoint copies, forces and checksums the whole file. With RocksDB's default (1 GiB) a runtime up for a
 *       week would copy ~100 MB a snapshot; a new MANIFEST holds only the live files.</li>
 * </ul>
 */
public final class RocksDbResources implements AutoCloseable {
    private static final double BLOOM_BITS_PER_KEY = 10.0;
    private static final double MEMTABLE_BLOOM_RATIO = 0.05;
    /** The size at which RocksDB starts a new MANIFEST; see the class comment. */
    public static final long MAX_MANIFEST_BYTES = 64 << 10;

    static {
        RocksDbLibrary.load();
    }

    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final Options options;

    /**
     * @param blockCacheBytes  the shared block cache's capacity
     * @param writeBufferBytes one memtable's size
     */
    public RocksDbResources(long blockCacheBytes, long writeBufferBytes) {
        this.blockCache = new LRUCache(blockCacheBytes);
        this.bloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setFilterPolicy(bloomFilter)
                .setWholeKeyFiltering(true)
                .setCacheIndexAndFilterBlocks(false)
                .setBlockSize(8 << 10);
        this.options = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(writeBufferBytes)
                .setMaxWriteBufferNumber(3)
                .setMemtableWholeKeyFiltering(true)
                .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                .setLevelCompactionDynamicLevelBytes(true)
                .setMaxBackgroundJobs(2)
                .setBytesPerSync(1 << 20)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(4 << 20)
                .setMaxManifestFileSize(MAX_MANIFEST_BYTES);
    }

    /** @return the options every state database is opened and written with */
    public Options options() {
        return options;
    }

    /**
     * Opens (creating if missing) a database for writing.
     *
     * @throws StateStoreException naming the folder if RocksDB refuses
     */
    public RocksDB open(Path dir) {
        try {
            return RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new StateStoreException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing database read-only.
     *
     * @throws StateStoreException naming the folder if RocksDB refuses
     */
    public RocksDB openReadOnly(Path dir) {
        try {
            return RocksDB.openReadOnly(options, dir.toString());
        } catch (RocksDBException e) {
            throw new StateStoreException("cannot open RocksDB read-only at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        options.close();
        bloomFilter.close();
        blockCache.close();
    }
}
