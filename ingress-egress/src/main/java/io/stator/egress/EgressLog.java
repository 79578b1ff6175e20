package io.stator.egress;

import static io.stator.egress.internal.EgressRecordDescriptor.KIND_ABORT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_COMMIT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;

import io.stator.egress.internal.EgressRecordCodec;
import io.stator.egress.internal.EgressRecordDescriptor;
import io.stator.egress.internal.EpochLedger;
import io.stator.logs.LogContext;
import io.stator.logs.internal.ChronicleQueues;
import io.stator.logs.internal.PerThreadAppenders;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.TypeName;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one egress: its records, each stamped with the snapshot epoch it belongs to, and the commit and abort
 * markers that decide the epochs, in one Chronicle Queue ({@code <data>/egress/<namespace>/<name>}, see
 * {@link EgressLogs}). Records are laid out as {@link io.stator.egress.internal.EgressRecordDescriptor} describes.
 *
 * <p><b>Epochs.</b> The runtime stamps every record with its partition's current epoch and, when snapshot
 * {@code n} completes, calls {@link #commit commit(n)}: every epoch up to {@code n} that was not aborted is then
 * committed. After a crash it calls {@link #recover recover(n)} with the last completed snapshot: epochs up to
 * {@code n} are committed, every other epoch with records is aborted. Read-committed readers deliver a record only
 * once its epoch is committed, never if it was aborted.
 *
 * <p><b>Rules the log enforces</b>, which make that work: a record may not be appended to a committed or aborted
 * epoch, and an epoch may not be aborted once committed. After recovery the runtime must therefore continue with
 * epochs above {@link #highestEpoch()}: an aborted epoch number is never reused.
 *
 * <p><b>Offsets.</b> Records are numbered densely from 0 in log order: a record's offset is one more than the
 * previous record's, across files too; markers take no offset. {@code EgressReader.open(log, n, ...)} delivers
 * records at offsets {@code >= n}, so resuming from {@link EgressReader#nextOffset()} continues exactly after the
 * last record read.
 *
 * <p><b>Batches.</b> {@link #append} writes one record as one Chronicle document. A hot appender (a partition
 * thread) buffers its records in an {@link EgressBatch} instead, which writes them as one document: Chronicle's
 * write lock, which concurrent appenders contend for, and this log's epoch check are then paid once per batch, not
 * once per record. The records of a document share one epoch.
 *
 * <p><b>Threads.</b> {@link #append} and batch writes may come from many threads at once (each gets its own
 * appender); {@link #commit}, {@link #abort} and {@link #recover} exclude appends while they write their marker.
 * One process writes a log: offsets are handed out from this object, under Chronicle's write lock.
 */
public final class EgressLog implements AutoCloseable {
    /** The epoch value meaning "none", e.g. {@link #lastCommittedEpoch()} before the first commit. */
    public static final long NO_EPOCH = EpochLedger.NONE;
    /**
     * The largest record (its value and value type, as {@link EgressBatch} frames them) a log takes: a record goes
     * in one document of the queue, and a document holds at most 16 MiB. 64 KiB are left for the document's header.
     */
    public static final int MAX_RECORD_BYTES = (16 << 20) - (64 << 10);

    private static final Logger LOG = LoggerFactory.getLogger(EgressLog.class);

    private final TypeName egress;
    private final Path folder;
    private final SingleChronicleQueue queue;
    private final PerThreadAppenders appenders;
    /** Appends hold it shared, markers exclusively: no record may slip in after the marker deciding its epoch. */
    private final StampedLock markerLock = new StampedLock();
    /** Decisions so far; written only under the exclusive lock. */
    private final EpochLedger ledger;
    private final ConcurrentSkipListSet<Long> openEpochs = new ConcurrentSkipListSet<>();
    private final AtomicLong highestEpoch;
    /** The epoch of the latest append, so appends skip the open-epoch set almost always. */
    private volatile long lastAppendedEpoch = NO_EPOCH;
    /**
     * The offset the next record gets. Read and advanced only while holding Chronicle's write lock (between
     * {@code writingDocument()} and the document's close), which orders the documents of all appenders: offsets
     * then grow in log order. (That needs Chronicle's double buffering off, its default, which {@link ChronicleQueues}
     * keeps: with it a contended writer would fill its document outside the lock.) Volatile for {@link #endOffset()}
     * on other threads.
     */
    private volatile long nextOffset;
    private volatile boolean closed;
    /** Told after every commit or abort marker; see {@link #addEpochListener}. */
    private final CopyOnWriteArrayList<Runnable> epochListeners = new CopyOnWriteArrayList<>();
    /** Told after every appended document; see {@link #addAppendListener}. */
    private final CopyOnWriteArrayList<Runnable> appendListeners = new CopyOnWriteArrayList<>();

    private EgressLog(TypeName egress, Path folder, SingleChronicleQueue queue, EpochLedger ledger, long endOffset) {
        this.egress = egress;
        this.folder = folder;
        this.queue = queue;
        this.appenders = new PerThreadAppenders(queue);
        this.ledger = ledger;
        this.nextOffset = endOffset;
        this.highestEpoch = new AtomicLong(ledger.highest());
        for (long epoch : ledger.openEpochs()) {
            openEpochs.add(epoch);
        }
    }

    /**
     * Opens the log of an egress, creating it if needed, and reads all its documents' headers to recover the
     * epoch decisions and the next offset.
     *
     * @param egress  the egress's name
     * @param folder  the log's folder
     * @param context the settings; concluded here
     * @return the open log
     */
    public static EgressLog open(TypeName egress, Path folder, LogContext context) {
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(folder, "folder");
        context.conclude();
        SingleChronicleQueue queue = ChronicleQueues.openWritable(folder, context);
        try {
            EpochLedger ledger = new EpochLedger(true);
            long endOffset = replay(queue, "egress log " + egress, ledger);
            EgressLog log = new EgressLog(egress, folder, queue, ledger, endOffset);
            LOG.info("{}: last committed epoch {}, highest epoch {}, open epochs {}", log,
                    ledger.lastCommitted(), ledger.highest(), log.openEpochs.size());
            return log;
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    /**
     * Appends a record of an epoch as a document of its own; returns once it is in the queue.
     *
     * @param epoch     the sender's current epoch, at least 0, neither committed nor aborted
     * @param valueType the value's type
     * @param value     the value's bytes
     * @return the record's offset
     * @throws IllegalStateException if the epoch is already decided, or the log is closed
     */
    public long append(long epoch, TypeName valueType, byte[] value) {
        requireValidEpoch(epoch);
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(value, "value");
        return appendDocument(epoch, 1, out -> EgressRecordCodec.writeRecord(out, valueType, value));
    }

    /** @return a new, empty batch of records for this log, for one thread to fill and flush */
    public EgressBatch newBatch() {
        return new EgressBatch(this);
    }

    /**
     * Appends the records an {@link EgressBatch} encoded as one document.
     *
     * @param records the records, laid out one after another as the descriptor draws them, in the first
     *                {@code length} bytes
     * @return the offset of the first record
     */
    long appendBatch(long epoch, int count, byte[] records, int length) {
        requireValidEpoch(epoch);
        return appendDocument(epoch, count, out -> out.write(records, 0, length));
    }

    /**
     * Commits every epoch up to {@code epoch} that was not aborted. Committing an epoch that is already committed
     * does nothing.
     *
     * @throws IllegalStateException if {@code epoch} itself was aborted, or the log is closed
     */
    public void commit(long epoch) {
        requireValidEpoch(epoch);
        long stamp = markerLock.writeLock();
        try {
            requireOpen();
            commitLocked(epoch);
        } finally {
            markerLock.unlockWrite(stamp);
        }
        tell(epochListeners);
    }

    /**
     * Aborts one epoch: its records are never delivered to read-committed readers. Aborting an aborted epoch does
     * nothing.
     *
     * @throws IllegalStateException if the epoch is already committed, or the log is closed
     */
    public void abort(long epoch) {
        requireValidEpoch(epoch);
        long stamp = markerLock.writeLock();
        try {
            requireOpen();
            abortLocked(epoch);
        } finally {
            markerLock.unlockWrite(stamp);
        }
        tell(epochListeners);
    }

    /**
     * Brings the log in line with the last completed snapshot after a restart: commits up to
     * {@code completedEpoch} (a crash may have come between the snapshot and its commit marker), then aborts every
     * other epoch that has records and no decision.
     *
     * @param completedEpoch the epoch of the last completed snapshot, or {@link #NO_EPOCH}
     */
    public void recover(long completedEpoch) {
        long stamp = markerLock.writeLock();
        try {
            requireOpen();
            if (completedEpoch > ledger.lastCommitted()) {
                commitLocked(completedEpoch);
            }
            for (Long epoch : openEpochs.toArray(new Long[0])) {
                abortLocked(epoch);
            }
            LOG.info("{}: recovered to epoch {}; appends must use epochs above {}", this, ledger.lastCommitted(),
                    highestEpoch.get());
        } finally {
            markerLock.unlockWrite(stamp);
        }
        tell(epochListeners);
    }

    /**
     * Tells {@code listener} after every commit or abort from now on, on the thread that wrote the marker, once the
     * marker is in the log: a read-committed reader waiting for an open epoch can then read on at once instead of
     * at its next look. The listener should only hand the news on (it runs on the snapshot coordinator's thread);
     * one that throws is logged and stays registered.
     */
    public void addEpochListener(Runnable listener) {
        epochListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; a listener that was not added is ignored. */
    public void removeEpochListener(Runnable listener) {
        epochListeners.remove(listener);
    }

    /**
     * Tells {@code listener} after every appended document (a record, or a partition's batch) from now on, on the
     * appending thread, once the document is in the log: a read-uncommitted reader can then read it at once. It runs
     * on partition threads, so it must be cheap: set a flag, and hand work to another thread at most once for many
     * appends. One that throws is logged and stays registered.
     */
    public void addAppendListener(Runnable listener) {
        appendListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; a listener that was not added is ignored. */
    public void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }

    private void tell(CopyOnWriteArrayList<Runnable> listeners) {
        if (listeners.isEmpty()) {
            return; // the usual case on the append path: no iterator
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a listener failed: {}", this, e.toString());
            }
        }
    }

    /**
     * Retention: deletes the log's oldest files (roll periods) that ended before {@code cutoffMillis} and hold
     * records of decided epochs only (at or below {@link #lastCommittedEpoch()}: committed, or aborted), stopping
     * at the first file that must stay. The newest file is always kept. A reader asked for an offset in a deleted
     * file starts at the oldest record kept. Any thread; it reads the candidate files' document headers.
     *
     * @param cutoffMillis a time in the log clock's milliseconds ({@link LogContext#clock})
     * @return how many files were deleted
     */
    public int releaseOlderThan(long cutoffMillis) {
        requireOpen();
        long committed = lastCommittedEpoch();
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (committed == NO_EPOCH || last <= first) {
            return 0;
        }
        net.openhft.chronicle.queue.RollCycle roll = queue.rollCycle();
        int keepFrom = first;
        for (long cycle : queue.listCyclesBetween(first, last)) { // both ends must be files that exist
            if (cycle == last) {
                break; // the newest file stays
            }
            long endsAt = queue.epoch() + (cycle + 1) * roll.lengthInMillis();
            if (endsAt > cutoffMillis || highestDataEpochIn((int) cycle) > committed) {
                break;
            }
            keepFrom = (int) cycle + 1;
        }
        return keepFrom == first ? 0 : io.stator.logs.internal.CycleRetention.deleteBefore(queue,
                roll.toIndex(keepFrom, 0));
    }

    /** @return the highest epoch of the data documents in the file of {@code cycle}, {@link #NO_EPOCH} if none */
    private long highestDataEpochIn(int cycle) {
        net.openhft.chronicle.queue.RollCycle roll = queue.rollCycle();
        RecordFieldReader fields = new RecordFieldReader(toString());
        EgressRecordCodec.Header header = new EgressRecordCodec.Header();
        long highest = NO_EPOCH;
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (!tailer.moveToIndex(roll.toIndex(cycle, 0))) {
                return NO_EPOCH; // no document in it
            }
            while (true) { // bounded by the file's documents
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent() || roll.toCycle(dc.index()) != cycle) {
                        return highest;
                    }
                    // A damaged document is of an epoch that never committed, and every reader skips it.
                    if (EgressRecordCodec.tryReadHeader(dc.wire().bytes(), dc.index(), fields, header)
                            && header.kind() == KIND_DATA) {
                        highest = Math.max(highest, header.epoch());
                    }
                }
            }
        }
    }

    /** @return the highest committed epoch, or {@link #NO_EPOCH}; recovered from the log on open */
    public long lastCommittedEpoch() {
        long stamp = markerLock.readLock();
        try {
            return ledger.lastCommitted();
        } finally {
            markerLock.unlockRead(stamp);
        }
    }

    /** @return the highest epoch any record or marker names, or {@link #NO_EPOCH} */
    public long highestEpoch() {
        return highestEpoch.get();
    }

    /** @return the epochs with records that are neither committed nor aborted, ascending */
    public long[] openEpochs() {
        return openEpochs.stream().mapToLong(Long::longValue).toArray();
    }

    /** @return the offset after the newest record: a reader starting here sees only later records */
    public long endOffset() {
        requireOpen();
        return nextOffset;
    }

    /** @return the egress's name */
    public TypeName egress() {
        return egress;
    }

    /** @return the log's folder */
    public Path folder() {
        return folder;
    }

    /** Closes the log; appends and readers fail afterwards. Call it after appenders and readers stopped. */
    @Override
    public void close() {
        long stamp = markerLock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appenders.close();
            queue.close();
        } finally {
            markerLock.unlockWrite(stamp);
        }
    }

    @Override
    public String toString() {
        return "egress log " + egress;
    }

    SingleChronicleQueue queue() {
        requireOpen();
        return queue;
    }

    private void commitLocked(long epoch) {
        if (epoch <= ledger.lastCommitted()) {
            return;
        }
        if (ledger.isAborted(epoch)) {
            throw new IllegalStateException(this + ": cannot commit epoch " + epoch + ", it was aborted");
        }
        writeMarker(KIND_COMMIT, epoch);
        openEpochs.headSet(epoch, true).clear();
    }

    private void abortLocked(long epoch) {
        if (epoch <= ledger.lastCommitted()) {
            throw new IllegalStateException(this + ": cannot abort epoch " + epoch + ", epochs up to "
                    + ledger.lastCommitted() + " are committed");
        }
        if (ledger.isAborted(epoch)) {
            return;
        }
        writeMarker(KIND_ABORT, epoch);
        openEpochs.remove(epoch);
    }

    /**
     * Writes a data document of {@code count} records under the shared marker lock; returns its base offset. If
     * {@code records} throws (an {@code Error} too), nothing of the document stays and no offset is taken.
     * Package-private for a test that throws mid-document.
     */
    long appendDocument(long epoch, int count, Consumer<Bytes<?>> records) {
        long base;
        long stamp = markerLock.readLock();
        try {
            requireOpen();
            EpochLedger.Decision decision = ledger.decide(epoch);
            if (decision != EpochLedger.Decision.OPEN) {
                throw new IllegalStateException(this + ": cannot append to epoch " + epoch + ", it is already "
                        + decision.name().toLowerCase() + " (last committed epoch " + ledger.lastCommitted() + ")");
            }
            noteAppended(epoch);
            try (DocumentContext dc = appenders.forCurrentThread().writingDocument()) {
                long first = nextOffset; // Chronicle's write lock is held: no other appender hands out offsets now
                write(dc, out -> {
                    EgressRecordCodec.writeHeader(out, KIND_DATA, count, epoch, first);
                    records.accept(out);
                });
                nextOffset = first + count; // only once the document is whole: a rolled-back one takes no offsets
                base = first;
            }
        } finally {
            markerLock.unlockRead(stamp);
        }
        tell(appendListeners);
        return base;
    }

    private void writeMarker(int kind, long epoch) {
        try (DocumentContext dc = appenders.forCurrentThread().writingDocument()) {
            long next = nextOffset;
            write(dc, out -> EgressRecordCodec.writeHeader(out, kind, 0, epoch, next));
        }
        ledger.apply(kind, epoch);
        highestEpoch.accumulateAndGet(epoch, Math::max);
    }

    private static void write(DocumentContext dc, Consumer<Bytes<?>> writer) {
        try {
            writer.accept(dc.wire().bytes());
        } catch (RuntimeException | Error e) { // an Error too: a memory-mapped file faulting on a full disk
            dc.rollbackOnClose(); // leave no half-written record
            throw e;
        }
    }

    private void noteAppended(long epoch) {
        if (epoch != lastAppendedEpoch) {
            openEpochs.add(epoch);
            lastAppendedEpoch = epoch;
            if (epoch > highestEpoch.get()) {
                highestEpoch.accumulateAndGet(epoch, Math::max);
            }
        }
    }

    /** Applies every document's header to {@code ledger}; returns the offset the next record gets. */
    private static long replay(SingleChronicleQueue queue, String logName, EpochLedger ledger) {
        RecordFieldReader fields = new RecordFieldReader(logName);
        EgressRecordCodec.Header header = new EgressRecordCodec.Header();
        long endOffset = 0;
        boolean first = true;
        try (ExcerptTailer tailer = queue.createTailer()) {
            boolean more = true;
            while (more) { // bounded by the log's length
                try (DocumentContext dc = tailer.readingDocument()) {
                    more = dc.isPresent();
                    if (more) {
                        try {
                            fields.load(dc.wire().bytes(), dc.index(), 0, EgressRecordDescriptor.HEADER_LENGTH);
                            EgressRecordCodec.readHeader(fields, header);
                        } catch (RuntimeException damaged) {
                            if (first && writtenByAnOlderLayout(fields)) {
                                throw damaged; // "layout version 1 is not 2": the whole log is of another layout
                            }
                            // A write torn by a crash or a full disk: its epoch never committed (the commit marker
                            // follows a snapshot the torn write's partition never reported to). Readers skip it too.
                            LOG.error("{}: the document at index {} cannot be read ({}); readers skip it", logName,
                                    dc.index(), damaged.getMessage());
                            continue;
                        } finally {
                            first = false;
                        }
                        ledger.apply(header.kind(), header.epoch());
                        endOffset = Math.max(endOffset, header.endOffset());
                    }
                }
            }
        }
        return endOffset;
    }

    private static boolean writtenByAnOlderLayout(RecordFieldReader header) {
        if (header.documentLength() <= EgressRecordDescriptor.VERSION_OFFSET) {
            return false;
        }
        int version = header.unsignedByteAt(EgressRecordDescriptor.VERSION_OFFSET);
        return version >= 1 && version < EgressRecordDescriptor.VERSION;
    }

    private static void requireValidEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, was " + epoch);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
