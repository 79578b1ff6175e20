package io.stator.chaos;

import java.nio.file.Path;

/**
 * The settings of one chaos run.
 *
 * @param seed                   the seed of the plan and of the kill moments
 * @param kills                  SIGKILLs to inflict before the last life of the node
 * @param msgs                   commands to send
 * @param partitions             the node's partitions
 * @param snapshotIntervalMillis the node's snapshot interval (short, so that kills land during snapshots)
 * @param addressesPerType       addresses per function type (embedded and remote)
 * @param inboxBytes             each partition's inbox ring; small, so that partitions overflow under bursts
 * @param cacheEntries           each partition's state cache; small, so that state is evicted to RocksDB (and
 *                               recorded in the snapshots' changelogs) between snapshots
 * @param changelogPartBytes     the most bytes of one changelog file in a snapshot; small, so that segments come
 *                               in several parts and some pass their bound and make their snapshot full
 * @param rescale                whether every life of the node starts with another partition count (1 to
 *                               {@code partitions + 1}), so that every restore also rescales
 * @param dir                    the work folder (data folder and node logs), kept; null for a temporary one,
 *                               deleted after a passing run
 */
record ChaosOptions(long seed, int kills, int msgs, int partitions, int snapshotIntervalMillis, int addressesPerType,
        int inboxBytes, int cacheEntries, long changelogPartBytes, boolean rescale, Path dir) {
    static final int DEFAULT_KILLS = 3;
    static final int DEFAULT_MSGS = 2000;
    static final int DEFAULT_PARTITIONS = 3;
    static final int DEFAULT_SNAPSHOT_INTERVAL_MILLIS = 150;
    static final int DEFAULT_ADDRESSES_PER_TYPE = 32;
    static final int DEFAULT_INBOX_BYTES = 8192;
    /** Below the addresses' state values per partition, so that every run evicts. */
    static final int DEFAULT_CACHE_ENTRIES = 16;
    /** The least the runtime takes, so that most segments are in parts (the runtime's default is 8 MiB). */
    static final int DEFAULT_CHANGELOG_PART_BYTES = 4096;
    /** The node lives this long at least before a kill... */
    static final int MIN_LIFE_MILLIS = 200;
    /** ...and at most this long. */
    static final int MAX_LIFE_MILLIS = 1500;
}
