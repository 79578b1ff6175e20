package io.stator.ingress;

import io.stator.ingress.internal.IdempotencyKeys;
import io.stator.ingress.internal.IngressRecordCodec;
import io.stator.ingress.internal.IngressRecordEncoder;
import io.stator.logs.LogContext;
import io.stator.logs.internal.ChronicleQueues;
import io.stator.logs.internal.CycleRetention;
import io.stator.logs.internal.PerThreadAppenders;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntPredicate;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress log: every record that enters the runtime, durable once {@link #append} returns, in one Chronicle
 * Queue on local disk (the runtime uses {@code <data>/ingress}). Records are laid out as
 * {@link io.stator.ingress.internal.IngressRecordDescriptor} describes.
 *
 * <p><b>Positions.</b> A record's position is its Chronicle index: a {@code long} that grows with every append
 * (not by one across file boundaries). Position {@link #START} lies before every record. A reader's
 * {@link IngressReader#position()} is the position to resume from; a snapshot stores it and a restart resumes
 * exactly there.
 *
 * <p><b>Threads.</b> {@link #append} may be called from any number of threads at once (each thread gets its own
 * Chronicle appender); records of one thread keep their order. {@link #releaseBefore} and {@link #close} may be
 * called from any thread; close only after producers and readers stopped. Only one process may open a log at a
 * time: the idempotency keys live in its memory.
 *
 * <p><b>Idempotency.</b> An append with an idempotency key that the log remembers appends nothing and returns the
 * position of the first record appended with that key. The log remembers the newest
 * {@link LogContext#idempotencyKeys()} keys; they are stored in the records and read back after open, so they
 * survive a restart. The read-back runs on a thread of its own: readers and appends without a key start at once,
 * and an append with a key waits until it is done (a million records take ~0.3 s).
 */
public final class IngressLog implements AutoCloseable {
    /** The position before every record: a reader starting here reads the whole log. */
    public static final long START = 0L;
    /** What {@link #appendUnlessWaiting} returns instead of waiting: nothing was appended. No position is negative. */
    public static final long WOULD_WAIT = -1L;
    /** Longest idempotency key accepted, in UTF-8 bytes. */
    public static final int MAX_IDEMPOTENCY_KEY_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IngressLog.class);

    private final Path folder;
    private final SingleChronicleQueue queue;
    private final PerThreadAppenders appenders;
    private final ThreadLocal<IngressRecordEncoder> encoders = ThreadLocal.withInitial(IngressRecordEncoder::new);
    private final IdempotencyKeys idempotencyKeys;
    /** Completes once the keys of the newest records are read back; keyed appends wait for it. */
    private final CompletableFuture<Void> keysReadBack = new CompletableFuture<>();
    /** The position of the newest document appended, or found at the opening; -1 while the log is empty. */
    private final java.util.concurrent.atomic.AtomicLong newest = new java.util.concurrent.atomic.AtomicLong(-1);
    /** Replaced whole on a change: an append reads the array without a lock or an iterator. */
    private volatile AppendListener[] appendListeners = new AppendListener[0];
    private volatile boolean closed;

    private IngressLog(Path folder, SingleChronicleQueue queue, int idempotencyCapacity) {
        this.folder = folder;
        this.queue = queue;
        this.appenders = new PerThreadAppenders(queue);
        this.newest.set(queue.lastIndex());
        this.idempotencyKeys = new IdempotencyKeys(idempotencyCapacity);
    }

    /**
     * Opens the log in a folder, creating it if needed, and starts reading back the newest idempotency keys.
     *
     * @param folder  the log's folder, e.g. {@code <data>/ingress}
     * @param context the settings; concluded here
     * @return the open log
     */
    public static IngressLog open(Path folder, LogContext context) {
        Objects.requireNonNull(folder, "folder");
        context.conclude();
        IngressLog log = new IngressLog(folder, ChronicleQueues.openWritable(folder, context), context.idempotencyKeys());
        Thread readBack = new Thread(() -> log.readBackKeys(context.idempotencyKeys(), context.idempotencyScanLimit()),
                "stator-ingress-keys");
        readBack.setDaemon(true);
        readBack.start();
        return log;
    }

    private void readBackKeys(int capacity, int scanLimit) {
        try {
            rememberRecentKeys(capacity, scanLimit);
            keysReadBack.complete(null);
        } catch (RuntimeException | Error e) {
            if (!closed) {
                LOG.error("{}: cannot read back the idempotency keys of its newest records; appends with a key will"
                        + " fail", this, e);
            }
            keysReadBack.completeExceptionally(e); // keyed appends and close() wait for it: never leave it open
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /**
     * Appends one record and returns once it is in the queue (written to the memory-mapped file: it survives a
     * crash of this process, not of the machine).
     *
     * @param keyGroup              the target's key group, at least 0
     * @param target                the function address the record is for
     * @param valueType             the value's type
     * @param value                 the value's bytes
     * @param idempotencyKeyOrNull  a key identifying the request, or null
     * @return the record's position; for a remembered idempotency key, the position of the earlier record
     * @throws IllegalArgumentException if the key group is negative or the key is longer than
     *                                  {@value #MAX_IDEMPOTENCY_KEY_BYTES} bytes
     * @throws IllegalStateException    if the log is closed
     */
    public long append(int keyGroup, Address target, TypeName valueType, byte[] value, String idempotencyKeyOrNull) {
        return append(keyGroup, target, valueType, value, idempotencyKeyOrNull, true);
    }

    /**
     * As {@link #append(int, Address, TypeName, byte[], String)}, for a thread that must not wait (an HTTP server's
     * IO thread, whose other connections would wait with it): where that would wait for the keys of the newest
     * records to be read back after the open, or for an earlier append of the same key on another thread to end,
     * this appends nothing, claims nothing, and returns {@link #WOULD_WAIT}. Without a key it never waits.
     *
     * @return the record's position, the earlier record's for a remembered key, or {@link #WOULD_WAIT}
     */
    public long appendUnlessWaiting(int keyGroup, Address target, TypeName valueType, byte[] value,
            String idempotencyKeyOrNull) {
        return append(keyGroup, target, valueType, value, idempotencyKeyOrNull, false);
    }

    private long append(int keyGroup, Address target, TypeName valueType, byte[] value, String idempotencyKeyOrNull,
            boolean mayWait) {
        checkRecord(keyGroup, target, valueType, value);
        if (idempotencyKeyOrNull == null) {
            return write(keyGroup, target, valueType, value, null);
        }
        byte[] key = idempotencyKeyBytes(idempotencyKeyOrNull);
        return appendOnce(idempotencyKeyOrNull, mayWait, () -> write(keyGroup, target, valueType, value, key));
    }

    /**
     * @return the key's UTF-8 bytes
     * @throws IllegalArgumentException if they are more than {@value #MAX_IDEMPOTENCY_KEY_BYTES}
     */
    static byte[] idempotencyKeyBytes(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_IDEMPOTENCY_KEY_BYTES) {
            throw new IllegalArgumentException("idempotency key of " + bytes.length + " bytes is longer than "
                    + MAX_IDEMPOTENCY_KEY_BYTES);
        }
        return bytes;
    }

    /**
     * Runs {@code write} unless the log remembers {@code key}.
     *
     * @param mayWait whether to wait for the keys' read-back or an earlier append of the key, or return
     *                {@link #WOULD_WAIT}
     * @return the position written, or remembered
     */
    private long appendOnce(String key, boolean mayWait, java.util.function.LongSupplier write) {
        if (!mayWait && !keysReadBack.isDone()) {
            return WOULD_WAIT;
        }
        awaitKeysReadBack();
        IdempotencyKeys.Claim claim = idempotencyKeys.claim(key);
        if (!claim.owner()) {
            return mayWait || claim.position().isDone() ? awaitEarlierAppend(claim) : WOULD_WAIT;
        }
        try {
            long position = write.getAsLong();
            claim.position().complete(position);
            return position;
        } catch (RuntimeException e) {
            idempotencyKeys.release(key, claim, e);
            throw e;
        }
    }

    /**
     * Creates a reader of the records whose key group passes a filter. The reader belongs to the thread that
     * polls it.
     *
     * @param keyGroups      which key groups to deliver
     * @param startPosition  where to start: {@link #START}, or a position a reader returned earlier
     * @return the reader; close it before the log
     */
    public IngressReader newReader(IntPredicate keyGroups, long startPosition) {
        requireOpen();
        return new IngressReader(this, keyGroups, startPosition);
    }

    /**
     * Deletes the log's files whose records all lie before {@code position}: call it with the smallest position
     * that any snapshot still needed for recovery holds. The file holding the position and the newest file are
     * kept.
     *
     * @return how many files were deleted
     */
    public int releaseBefore(long position) {
        requireOpen();
        return CycleRetention.deleteBefore(queue, position);
    }

    /** @return the position after the newest record: a reader starting here sees only records appended later */
    public long endPosition() {
        requireOpen();
        long last = queue.lastIndex();
        return last < 0 ? START : last + 1;
    }

    /**
     * Counts what a reader resuming at {@code position} has left to read: the log's documents at or after it, exact
     * across file rolls (a position is a file's cycle and a sequence number within that file, so the difference of
     * two positions counts records only within one file). A batch is one document.
     *
     * @param position a position a reader returned, or {@link #START}; one before the oldest kept record counts
     *                 from that record
     * @return the number of documents from {@code position} to the end, 0 if none
     */
    public long documentsFrom(long position) {
        requireOpen();
        long last = queue.lastIndex();
        if (last < 0) {
            return 0;
        }
        long from = Math.max(position, queue.firstIndex());
        return from > last ? 0 : queue.countExcerpts(from, last + 1);
    }

    /**
     * Counts what {@link #documentsFrom} counts, cheaply when {@code position} lies in the file being appended to:
     * there, positions of documents are consecutive, so a subtraction counts them. Elsewhere (a reader still in an
     * older file, or at {@link #START}) it counts as {@link #documentsFrom} does. Any thread.
     *
     * @param position a position a reader returned, or {@link #START}
     * @return the number of documents from {@code position} to the newest appended, 0 if none
     */
    public long documentsFromCheaply(long position) {
        long last = newest.get();
        if (last < 0 || position > last) {
            return 0;
        }
        RollCycle cycles = queue.rollCycle();
        if (position != START && cycles.toCycle(position) == cycles.toCycle(last)) {
            return last - position + 1;
        }
        return documentsFrom(position);
    }

    /** @return the position of the oldest record still in the log, or {@link #START} if the log is empty */
    public long firstPosition() {
        requireOpen();
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? START : first;
    }

    /** @return the log's folder */
    public Path folder() {
        return folder;
    }

    /** Closes the log; appends and readers fail afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            keysReadBack.join(); // the read-back stops at the next record once it sees the log closed
        } catch (CompletionException | CancellationException e) {
            // reported by the read-back itself
        }
        appenders.close();
        queue.close();
    }

    /** Waits until the keys of the newest records are read back, so that a keyed append finds its earlier record. */
    private void awaitKeysReadBack() {
        try {
            keysReadBack.join();
        } catch (CompletionException | CancellationException e) {
            requireOpen();
            throw new IllegalStateException(this + ": appends with an idempotency key are refused: the keys of its"
                    + " newest records could not be read back (" + (e.getCause() != null ? e.getCause() : e) + ")", e);
        }
    }

    SingleChronicleQueue queue() {
        requireOpen();
        return queue;
    }

    @Override
    public String toString() {
        return "ingress log " + folder;
    }

    /**
     * Appends every record of {@code batch} as one document and returns once it is in the queue (as
     * {@link #append(int, Address, TypeName, byte[], String)} does for one record). The records share the returned
     * position; a reader delivers them in order, and a partition takes a document whole or not at all (what it has
     * not finished when it takes a snapshot is recorded with the snapshot).
     *
     * <p>A batch with an {@linkplain IngressBatch#withIdempotencyKey idempotency key} the log remembers appends
     * nothing and returns the position of the batch first appended with that key.
     *
     * @return the position of the batch's document
     * @throws IllegalArgumentException if the batch is empty
     * @throws IllegalStateException    if the log is closed
     */
    public long append(IngressBatch batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("an empty ingress batch has nothing to append");
        }
        requireOpen();
        if (batch.idempotencyKey() == null) {
            return appendDocument(batch.encoded(), AppendListener.ANY_KEY_GROUP);
        }
        return appendOnce(batch.idempotencyKey(), true, () -> {
            requireOpen();
            return appendDocument(batch.encoded(), AppendListener.ANY_KEY_GROUP);
        });
    }

    /** The checks every appended record passes, one at a time or in a batch. */
    static void checkRecord(int keyGroup, Address target, TypeName valueType, byte[] value) {
        if (keyGroup < 0) {
            throw new IllegalArgumentException("key group must be at least 0, was " + keyGroup + " for " + target);
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(value, "value");
    }

    private long write(int keyGroup, Address target, TypeName valueType, byte[] value, byte[] key) {
        requireOpen();
        return appendDocument(encoders.get().encode(keyGroup, target, valueType, value, key), keyGroup);
    }

    /**
     * Writes the encoded records as one document (one Chronicle write) and returns its position.
     *
     * @param keyGroup the records' key group, or {@link AppendListener#ANY_KEY_GROUP} for a batch
     */
    private long appendDocument(IngressRecordEncoder records, int keyGroup) {
        ExcerptAppender appender = appenders.forCurrentThread();
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                dc.wire().bytes().write(records.buffer(), 0, records.length());
            } catch (RuntimeException | Error e) { // an Error too: a memory-mapped file faulting on a full disk
                dc.rollbackOnClose();
                throw e;
            }
        }
        long position = appender.lastIndexAppended();
        newest.accumulateAndGet(position, Math::max);
        AppendListener[] listeners = appendListeners;
        for (int i = 0; i < listeners.length; i++) {
            listeners[i].appended(keyGroup);
        }
        return position;
    }

    /** Told of every document this process appends; see {@link #addAppendListener}. */
    @FunctionalInterface
    public interface AppendListener {
        /** The key group a batch's document is appended with: its records may be of any. */
        int ANY_KEY_GROUP = -1;

        /**
         * @param keyGroup the key group of the document's record, or {@link #ANY_KEY_GROUP} for a batch
         */
        void appended(int keyGroup);
    }

    /**
     * Tells {@code listener} of every document this process appends from now on, on the appending thread, once the
     * document is in the log: a reader parked in this process can read it at once instead of at its next look. It
     * must be cheap and must not throw (wake a thread, set a flag). Appends by other processes are not seen.
     */
    public synchronized void addAppendListener(AppendListener listener) {
        Objects.requireNonNull(listener, "listener");
        AppendListener[] more = java.util.Arrays.copyOf(appendListeners, appendListeners.length + 1);
        more[more.length - 1] = listener;
        appendListeners = more;
    }

    /** Stops telling {@code listener}; one that was not added is ignored. */
    public synchronized void removeAppendListener(AppendListener listener) {
        appendListeners = java.util.Arrays.stream(appendListeners).filter(l -> l != listener)
                .toArray(AppendListener[]::new);
    }

    private static long awaitEarlierAppend(IdempotencyKeys.Claim claim) {
        try {
            return claim.position().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Remembers the keys of the newest {@code scanLimit} records, the newest {@code capacity} of them. Reads forwards
     * from {@code scanLimit} records before the end: Chronicle reads forwards much faster than backwards, where every
     * step looks the position up again ({@code ./stator bench W5}, 1M records: restart 2.4-4.0 s backwards, 0.3-0.4 s
     * forwards).
     */
    private void rememberRecentKeys(int capacity, int scanLimit) {
        long start = positionBeforeEnd(scanLimit);
        if (start < 0) {
            return;
        }
        RecordFieldReader fields = new RecordFieldReader(toString());
        Deque<KeyAt> keys = new ArrayDeque<>(); // oldest first, at most capacity of them
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (!tailer.moveToIndex(start)) {
                throw new IllegalStateException(this + ": cannot move to position " + start + " to read back keys");
            }
            while (!closed) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    String key;
                    try {
                        fields.load(dc.wire().bytes(), dc.index());
                        key = IngressRecordCodec.readIdempotencyKey(fields);
                    } catch (RuntimeException damaged) { // its readers skip it too (IngressRecordHandler.onDamaged)
                        LOG.warn("{}: skipping a damaged document while reading back idempotency keys: {}", this,
                                damaged.getMessage());
                        continue;
                    }
                    if (key != null) {
                        keys.addLast(new KeyAt(key, dc.index()));
                        if (keys.size() > capacity) {
                            keys.removeFirst();
                        }
                    }
                }
            }
        }
        for (KeyAt k : keys) {
            idempotencyKeys.remember(k.key(), k.position());
        }
        if (idempotencyKeys.size() > 0) {
            LOG.info("{}: remembered {} idempotency keys from the newest records", this, idempotencyKeys.size());
        }
    }

    /** An idempotency key read back from the record at {@code position}. */
    private record KeyAt(String key, long position) {
    }

    /**
     * @return the position of the record {@code count} records before the end of the log, or of its first record
     *     if it holds fewer; -1 if it holds none or {@code count} is 0. Counts per file (roll cycle): a position is
     *     the file's cycle and the record's sequence number in that file, which starts at 0 in every file.
     */
    private long positionBeforeEnd(int count) {
        long last = queue.lastIndex();
        if (count <= 0 || last < 0) {
            return -1;
        }
        RollCycle cycles = queue.rollCycle();
        int cycle = cycles.toCycle(last);
        long inCycle = cycles.toSequenceNumber(last) + 1;
        long remaining = count;
        try {
            while (inCycle < remaining) {
                int previous = queue.nextCycle(cycle, TailerDirection.BACKWARD);
                if (previous < 0) {
                    return cycles.toIndex(cycle, 0);
                }
                remaining -= inCycle;
                inCycle = queue.countExcerpts(cycles.toIndex(previous, 0), cycles.toIndex(cycle, 0));
                cycle = previous;
            }
        } catch (ParseException e) {
            throw new IllegalStateException(this + ": cannot list its files: " + e.getMessage(), e);
        }
        return cycles.toIndex(cycle, inCycle - remaining);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
