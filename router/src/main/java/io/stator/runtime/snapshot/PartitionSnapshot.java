package io.stator.runtime.snapshot;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import io.stator.runtime.internal.Utf8;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a partition records at snapshot {@code n}, besides its RocksDB checkpoint: everything that was in flight
 * inside the partition and would otherwise be lost on restore.
 *
 * @param partition       the partition index
 * @param snapshotId      the snapshot (= the epoch it starts)
 * @param partitions      the partition count it was taken with
 * @param maxParallelism  the key-group count
 * @param ingressPosition where its ingress reading resumes (-1 when its input is not resumable)
 * @param pending         messages it had accepted but not yet finished, besides its remote backlog: the message
 *                        of every running asynchronous call and the messages waiting behind it, then its local
 *                        queue. On restore they run again, after the backlog's invocations; once restored, the
 *                        list starts with those
 * @param channel         messages other partitions sent before their snapshot that reached this partition after
 *                        its own (Chandy-Lamport channel state); on restore they run after the pending ones
 * @param timers          delayed messages not yet due, recorded incrementally
 * @param backlog         the remote invocations in flight or queued, recorded incrementally
 */
public record PartitionSnapshot(
        int partition, long snapshotId, int partitions, int maxParallelism, long ingressPosition,
        List<Envelope> pending, List<Envelope> channel, TimerLog timers, Backlog backlog) {

    /** A snapshot without remote backlog, whose delayed messages are all in {@code timers}. */
    public PartitionSnapshot(int partition, long snapshotId, int partitions, int maxParallelism,
            long ingressPosition, List<Envelope> pending, List<Envelope> channel, List<Timer> timers) {
        this(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending, channel,
                TimerLog.of(timers), Backlog.NONE);
    }

    /** @return this snapshot with its backlog replaced */
    public PartitionSnapshot withBacklog(Backlog replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending,
                channel, timers, replacement);
    }

    /** @return this snapshot with its timers replaced */
    public PartitionSnapshot withTimers(TimerLog replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition, pending,
                channel, replacement, backlog);
    }

    /** @return this snapshot with its pending messages replaced */
    public PartitionSnapshot withPending(List<Envelope> replacement) {
        return new PartitionSnapshot(partition, snapshotId, partitions, maxParallelism, ingressPosition,
                replacement, channel, timers, backlog);
    }

    /**
     * A delayed message not yet due, held as the bytes of its entry in a timer file ({@link TimerFiles}: id, due
     * time, token, encoded envelope). A partition with a million timers pending keeps a million byte arrays, with
     * nothing inside them for the garbage collector to trace, and a snapshot writes them as they are.
     *
     * <p>Its id names it in its partition's timer files ({@link TimerLog}) and is unique within one run of the
     * partition (restored timers are numbered again); its due time is in epoch milliseconds; its token, if any, is
     * the cancellation token; its message's caller is the sender, which owns the token.
     */
    public static final class Timer {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final int ID_OFFSET = 0;
        private static final int DUE_OFFSET = 8;
        private static final int TOKEN_LENGTH_OFFSET = 16;
        /** Where the token's bytes start. */
        public static final int TOKEN_OFFSET = 20;

        private final byte[] entry;

        private Timer(byte[] entry) {
            this.entry = entry;
        }

        /** Encodes a timer with a codec of its own (tests, tools); the runtime uses {@link #encode}. */
        public Timer(long id, long dueAtMillis, String token, Envelope message) {
            this(encode(id, dueAtMillis, token == null ? null : token.getBytes(StandardCharsets.UTF_8), message,
                    new EnvelopeCodec(), new UnsafeBuffer(new byte[0])));
        }

        /** @return the timer whose entry is {@code entry}, which is not copied and must not change */
        public static Timer of(byte[] entry) {
            return new Timer(entry);
        }

        /**
         * @param token the token's UTF-8 bytes, or null
         * @param view  a buffer to write through, wrapped here around the new entry
         * @return the entry of a timer, in {@link TimerFiles}'s layout (the envelope with epoch 0)
         * @throws IllegalArgumentException if the message cannot be encoded
         */
        public static byte[] encode(long id, long dueAtMillis, byte[] token, Envelope message, EnvelopeCodec codec,
                UnsafeBuffer view) {
            int tokenLength = token == null ? 0 : token.length;
            int envelopeLength = codec.encodedLength(message);
            byte[] entry = new byte[TOKEN_OFFSET + tokenLength + 4 + envelopeLength];
            LONG.set(entry, ID_OFFSET, id);
            LONG.set(entry, DUE_OFFSET, dueAtMillis);
            INT.set(entry, TOKEN_LENGTH_OFFSET, token == null ? -1 : tokenLength);
            if (token != null) {
                System.arraycopy(token, 0, entry, TOKEN_OFFSET, tokenLength);
            }
            INT.set(entry, TOKEN_OFFSET + tokenLength, envelopeLength);
            view.wrap(entry);
            codec.encode(message, 0, view, TOKEN_OFFSET + tokenLength + 4);
            return entry;
        }

        /** @return the id in {@code entry} */
        public static long id(byte[] entry) {
            return (long) LONG.get(entry, ID_OFFSET);
        }

        /** @return the due time in {@code entry} */
        public static long dueAt(byte[] entry) {
            return (long) LONG.get(entry, DUE_OFFSET);
        }

        /** @return the length of the token's UTF-8 bytes in {@code entry} (at {@link #TOKEN_OFFSET}), or -1 */
        public static int tokenLength(byte[] entry) {
            return (int) INT.get(entry, TOKEN_LENGTH_OFFSET);
        }

        /** @return where the encoded envelope starts in {@code entry} */
        public static int envelopeOffset(byte[] entry) {
            return TOKEN_OFFSET + Math.max(0, tokenLength(entry)) + 4;
        }

        /**
         * @return how long the entry starting at {@code offset} of {@code bytes} is, read from its own lengths, or -1
         *     if those lengths reach past {@code end}
         */
        static int entryLength(byte[] bytes, int offset, int end) {
            if (offset + TOKEN_OFFSET > end) {
                return -1;
            }
            int tokenLength = (int) INT.get(bytes, offset + TOKEN_LENGTH_OFFSET);
            long envelopeAt = (long) offset + TOKEN_OFFSET + Math.max(0, tokenLength);
            if (tokenLength < -1 || envelopeAt + 4 > end) {
                return -1;
            }
            int envelopeLength = (int) INT.get(bytes, (int) envelopeAt);
            long entryEnd = envelopeAt + 4 + envelopeLength;
            return envelopeLength < 0 || entryEnd > end ? -1 : (int) (entryEnd - offset);
        }

        /**
         * @return the timers of these entries, each made when it is asked for; the list is not copied and must not
         *     change
         */
        public static List<Timer> listOf(List<byte[]> entries) {
            return new EntryList(entries);
        }

        /** @return a copy of this timer under another id */
        public Timer withId(long newId) {
            byte[] copy = entry.clone();
            LONG.set(copy, ID_OFFSET, newId);
            return new Timer(copy);
        }

        /** @return its entry's bytes, which must not be changed */
        public byte[] entry() {
            return entry;
        }

        public long id() {
            return id(entry);
        }

        public long dueAtMillis() {
            return dueAt(entry);
        }

        /** @return its cancellation token, or null */
        public String token() {
            int length = tokenLength(entry);
            return length < 0 ? null : new String(entry, TOKEN_OFFSET, length, StandardCharsets.UTF_8);
        }

        /**
         * @return its sender's (its message's caller's) {@link io.stator.sdk.Address#hashCode}, computed from the
         *     entry's bytes
         * @throws IllegalArgumentException if its message has no caller
         */
        public int senderHash() {
            UnsafeBuffer b = new UnsafeBuffer(entry);
            int at = EnvelopeCodec.callerAt(b, envelopeOffset(entry));
            if (at < 0) {
                throw new IllegalArgumentException("delayed message " + id() + " has no sender");
            }
            int typeLength = b.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int idAt = at + 2 + typeLength;
            int idLength = b.getShort(idAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            return 31 * Utf8.stringHash(entry, at + 2, typeLength) + Utf8.stringHash(entry, idAt + 2, idLength);
        }

        /** @return its message, decoded by {@code codec} */
        public Envelope message(EnvelopeCodec codec) {
            return codec.decode(new UnsafeBuffer(entry), envelopeOffset(entry));
        }

        /** @return its message, decoded by a codec of its own (tests, tools) */
        public Envelope message() {
            return message(new EnvelopeCodec());
        }

        @Override
        public boolean equals(Object o) {
            return this == o || (o instanceof Timer other && Arrays.equals(entry, other.entry));
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(entry);
        }

        @Override
        public String toString() {
            return "Timer[id=" + id() + ", due=" + dueAtMillis() + ", token=" + token() + ", " + entry.length
                    + " bytes]";
        }

        /** Timers over an array of entries, each made when it is asked for. */
        private static final class EntryList extends AbstractList<Timer> implements RandomAccess {
            private final List<byte[]> entries;

            EntryList(List<byte[]> entries) {
                this.entries = entries;
            }

            @Override
            public Timer get(int index) {
                return new Timer(entries.get(index));
            }

            @Override
            public int size() {
                return entries.size();
            }
        }
    }

    /**
     * A partition's delayed messages, kept in timer files that later snapshots carry over instead of writing them
     * again ({@link TimerFiles}). A file holds the timers set during one interval and the ids of earlier files'
     * timers that fired or were cancelled during it; the chain starts with a file holding every timer. A million
     * timers pending for minutes then cost a snapshot what changed, not a million records.
     *
     * @param entries the timers this snapshot's own file holds: every pending one if {@code full}, otherwise those
     *                set since the previous snapshot (some of them may be in {@code removed} too); once restored,
     *                every pending one
     * @param removed the ids of timers that fired or were cancelled since the previous snapshot (empty if full)
     * @param full    whether {@code entries} is every pending timer, so that no earlier file is needed
     * @param live    how many timers were pending
     * @param files   the snapshots whose timer files (all carried into this snapshot) hold them, oldest first;
     *                chosen by the coordinator when it stores the snapshot, empty before. Empty with timers
     *                pending only in snapshots written before timers had files, which listed them in place
     * @param records how many timers and removals those files hold together: what a restore reads
     */
    public record TimerLog(List<Timer> entries, long[] removed, boolean full, long live, long[] files, long records) {
        /** No delayed message. */
        public static final TimerLog NONE = of(List.of());

        /** @return the log of exactly these pending timers, needing no file */
        public static TimerLog of(List<Timer> all) {
            return new TimerLog(all, new long[0], true, all.size(), new long[0], 0);
        }

        /** @return this log as stored in {@code storedFiles}, holding {@code storedRecords}, without its entries */
        public TimerLog storedIn(long[] storedFiles, long storedRecords) {
            return new TimerLog(List.of(), new long[0], full, live, storedFiles, storedRecords);
        }

        /** @return whether the timers are in files a later snapshot can carry over (none is, when none is pending) */
        public boolean inFiles() {
            return files.length > 0 || live == 0;
        }
    }

    /**
     * The remote invocations a partition held at the snapshot (in flight or queued), kept in backlog files that
     * later snapshots carry over instead of writing them again. Each address's invocations run in the order the
     * dispatcher numbered them, so a file can list every invocation accepted during an interval, finished or not:
     * the ones still held are, per address, those from its oldest held sequence on ({@link #heads}). A backlog
     * many times what arrives in an interval then costs a snapshot what arrived, not the whole backlog.
     *
     * @param entries the invocations the partition hands over for this snapshot's own backlog file: every held
     *                one if {@code full}, otherwise those accepted since the previous snapshot, in sequence order
     * @param full    whether {@code entries} is the whole backlog, so that no earlier file is needed
     * @param heads   for each address holding invocations, the sequence of its oldest
     * @param held    how many invocations were held
     * @param files   the snapshots whose backlog files (all carried into this snapshot) hold them, oldest first;
     *                chosen by the coordinator when it stores the snapshot, empty before
     */
    public record Backlog(List<PendingRemoteInvocation> entries, boolean full, long[] heads, long held, long[] files) {
        /** No remote backlog: nothing held, no file. */
        public static final Backlog NONE = new Backlog(List.of(), true, new long[0], 0, new long[0]);

        /** @return this backlog as stored in {@code storedFiles}, without the entries now written */
        public Backlog storedIn(long[] storedFiles) {
            return new Backlog(List.of(), full, heads, held, storedFiles);
        }
    }
}
