package io.stator.runtime.snapshot;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import io.stator.sdk.Address;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The backlog files of a partition's snapshots ({@link PartitionSnapshot.Backlog}), stored as
 * {@code <id>/runtime/partition-<p>.backlog-<first>}, where {@code first} is the snapshot that wrote the file; later
 * snapshots that still need it carry it under the same name. Little-endian:
 *
 * <pre>
 *   int32  magic 'STBL'            int32 version (1)
 *   int32  partition               int64 snapshot that wrote it
 *   int32  n, then n × (int64 sequence, int32 length, envelope)
 *   int32  CRC32C of every byte before it
 * </pre>
 */
public final class BacklogFiles {
    private static final int MAGIC = 0x4C425453; // "STBL" little-endian
    private static final int VERSION = 1;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Magic, version, partition, snapshot id, entry count. */
    static final int HEADER_BYTES = 24;

    private BacklogFiles() {
    }

    /** @return where partition {@code partition}'s backlog file first written by snapshot {@code first} is stored */
    public static String path(int partition, long first) {
        return "runtime/partition-" + partition + ".backlog-" + first;
    }

    /**
     * @return a backlog file's bytes as a stream that encodes them as they are read, in chunks of about 64 KiB;
     *     read it on one thread while {@code entries} stays unchanged
     */
    public static InputStream encoding(int partition, long snapshotId, List<PendingRemoteInvocation> entries) {
        return new BacklogFileStream(partition, snapshotId, entries);
    }

    /**
     * Stores a backlog file, encoded as it is written in chunks of about 64 KiB; {@code entries} must not change
     * meanwhile.
     *
     * @return the largest sequence it holds (-1 if none)
     */
    public static long write(SnapshotStore store, long snapshotId, int partition,
            List<PendingRemoteInvocation> entries) throws IOException {
        BacklogFileStream stream = new BacklogFileStream(partition, snapshotId, entries);
        store.write(snapshotId, path(partition, snapshotId), stream);
        return stream.maxSequence();
    }

    static void putHeader(MutableDirectBuffer b, int offset, int partition, long snapshotId, int count) {
        b.putInt(offset, MAGIC, ORDER);
        b.putInt(offset + 4, VERSION, ORDER);
        b.putInt(offset + 8, partition, ORDER);
        b.putLong(offset + 12, snapshotId, ORDER);
        b.putInt(offset + 20, count, ORDER);
    }

    /**
     * Reads a restored partition's backlog from the files of snapshot {@code id} that its metadata names.
     *
     * @return the snapshot with the invocations still held at the snapshot put before its other pending messages,
     *     per address in the order they ran
     * @throws IllegalArgumentException naming the file if one is missing or damaged
     */
    public static PartitionSnapshot restore(SnapshotStore store, long id, PartitionSnapshot part) throws IOException {
        PartitionSnapshot.Backlog backlog = part.backlog();
        if (backlog.files().length == 0) {
            return part;
        }
        LongHashSet heads = new LongHashSet();
        for (long h : backlog.heads()) {
            heads.add(h);
        }
        Set<Address> started = new HashSet<>();
        List<Envelope> out = new ArrayList<>();
        for (long first : backlog.files()) {
            String path = path(part.partition(), first);
            byte[] bytes = RuntimeFiles.read(store, id, path);
            readHeld(bytes, "snapshot " + id + " file " + path, part.partition(), heads, started, out);
        }
        if (out.size() != backlog.held()) {
            throw new IllegalArgumentException("snapshot " + id + ": partition " + part.partition()
                    + "'s backlog files hold " + out.size() + " of its " + backlog.held() + " invocations");
        }
        out.addAll(part.pending());
        return part.withPending(out).withBacklog(PartitionSnapshot.Backlog.NONE);
    }

    /**
     * Adds the file's entries still held to {@code out}. Files are read oldest first, and each address's entries
     * come in sequence order across them, so the first held entry of an address met is its head, and every later
     * one of the same address is held too.
     */
    static void readHeld(byte[] bytes, String what, int partition, LongHashSet heads, Set<Address> started,
            List<Envelope> out) {
        UnsafeBuffer b = RuntimeFiles.checked(bytes, what, "backlog file", MAGIC, VERSION, partition, HEADER_BYTES + 4);
        int n = b.getInt(20, ORDER);
        EnvelopeCodec codec = new EnvelopeCodec();
        int pos = HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            long sequence = b.getLong(pos, ORDER);
            int length = b.getInt(pos + 8, ORDER);
            Envelope e = codec.decode(b, pos + 12);
            pos += 12 + length;
            boolean held;
            if (heads.contains(sequence)) {
                started.add(e.targetAddress());
                held = true;
            } else {
                held = started.contains(e.targetAddress());
            }
            if (held) {
                out.add(e);
            }
        }
        if (pos != bytes.length - 4) {
            throw new IllegalArgumentException(what + " has " + (bytes.length - 4 - pos) + " bytes after its entries");
        }
    }
}
