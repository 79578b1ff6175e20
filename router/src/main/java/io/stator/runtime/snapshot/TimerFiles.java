package io.stator.runtime.snapshot;

import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The timer files of a partition's snapshots ({@link PartitionSnapshot.TimerLog}), stored as
 * {@code <id>/runtime/partition-<p>.timers-<first>}, where {@code first} is the snapshot that wrote the file; later
 * snapshots that still need it carry it under the same name. Little-endian:
 *
 * <pre>
 *   int32  magic 'STTM'            int32 version (1)
 *   int32  partition               int64 snapshot that wrote it
 *   int32  1 if it holds every pending timer, else 0
 *   int32  r, then r × int64                      ids of earlier files' timers that fired or were cancelled
 *   int32  n, then n × (int64 id, int64 due, int32 token length or -1, token UTF-8, int32 length, envelope)
 *   int32  CRC32C of every byte before it
 * </pre>
 */
public final class TimerFiles {
    private static final int MAGIC = 0x4D545453; // "STTM" little-endian
    private static final int VERSION = 1;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Magic, version, partition, snapshot id, full. */
    static final int HEADER_BYTES = 24;

    private TimerFiles() {
    }

    /** @return where partition {@code partition}'s timer file first written by snapshot {@code first} is stored */
    public static String path(int partition, long first) {
        return "runtime/partition-" + partition + ".timers-" + first;
    }

    /**
     * Stores a timer file, encoded as it is written in chunks of about 64 KiB; the lists must not change meanwhile.
     *
     * @param removed ids of timers in earlier files of the chain
     * @param entries timers set since (or, if {@code full}, every pending one)
     */
    public static void write(SnapshotStore store, long snapshotId, int partition, boolean full, long[] removed,
            List<PartitionSnapshot.Timer> entries) throws IOException {
        store.write(snapshotId, path(partition, snapshotId),
                new TimerFileStream(partition, snapshotId, full, removed, entries));
    }

    static void putHeader(UnsafeBuffer b, int offset, int partition, long snapshotId, boolean full) {
        b.putInt(offset, MAGIC, ORDER);
        b.putInt(offset + 4, VERSION, ORDER);
        b.putInt(offset + 8, partition, ORDER);
        b.putLong(offset + 12, snapshotId, ORDER);
        b.putInt(offset + 20, full ? 1 : 0, ORDER);
    }

    /**
     * Reads a restored partition's delayed messages from the files of snapshot {@code id} that its metadata names.
     *
     * @return the snapshot with every pending timer in its log, and the files they were read from
     * @throws IllegalArgumentException naming the file if one is missing or damaged, or if the files do not add up
     *                                  to the timers the metadata counted
     */
    public static PartitionSnapshot restore(SnapshotStore store, long id, PartitionSnapshot part) throws IOException {
        PartitionSnapshot.TimerLog log = part.timers();
        if (log.files().length == 0) {
            return part; // none pending, or listed in the metadata by an older version
        }
        Long2ObjectHashMap<PartitionSnapshot.Timer> pending = new Long2ObjectHashMap<>();
        for (long first : log.files()) {
            String path = path(part.partition(), first);
            byte[] bytes = RuntimeFiles.read(store, id, path);
            apply(bytes, "snapshot " + id + " file " + path, part.partition(), pending);
        }
        if (pending.size() != log.live()) {
            throw new IllegalArgumentException("snapshot " + id + ": partition " + part.partition()
                    + "'s timer files hold " + pending.size() + " of its " + log.live() + " delayed messages");
        }
        List<PartitionSnapshot.Timer> timers = new ArrayList<>(pending.values()); // in no order: see DelayedMessages
        return part.withTimers(new PartitionSnapshot.TimerLog(timers, new long[0], true, timers.size(), log.files(),
                log.records()));
    }

    /**
     * Applies one file of a chain, oldest first, to the timers pending after the files before it. The entries are
     * kept as they are stored; their messages are decoded when they fire.
     */
    static void apply(byte[] bytes, String what, int partition, Long2ObjectHashMap<PartitionSnapshot.Timer> pending) {
        UnsafeBuffer b = RuntimeFiles.checked(bytes, what, "timer file", MAGIC, VERSION, partition, HEADER_BYTES + 12);
        if (b.getInt(20, ORDER) == 1) {
            pending.clear();
        }
        int pos = HEADER_BYTES;
        int removed = b.getInt(pos, ORDER);
        pos += 4;
        for (int i = 0; i < removed; i++) {
            long timerId = b.getLong(pos, ORDER);
            pos += 8;
            if (pending.remove(timerId) == null) {
                throw new IllegalArgumentException(what + " removes delayed message " + timerId
                        + ", which no earlier file holds");
            }
        }
        int n = b.getInt(pos, ORDER);
        pos += 4;
        for (int i = 0; i < n; i++) {
            int length = PartitionSnapshot.Timer.entryLength(bytes, pos, bytes.length - 4);
            if (length < 0) {
                throw new IllegalArgumentException(what + ": timer entry " + i + " of " + n + " overruns the file");
            }
            PartitionSnapshot.Timer t = PartitionSnapshot.Timer.of(Arrays.copyOfRange(bytes, pos, pos + length));
            pos += length;
            if (pending.put(t.id(), t) != null) {
                throw new IllegalArgumentException(what + " sets delayed message " + t.id() + " a second time");
            }
        }
        if (pos != bytes.length - 4) {
            throw new IllegalArgumentException(what + " has " + (bytes.length - 4 - pos) + " bytes after its entries");
        }
    }
}
