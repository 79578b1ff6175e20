package io.stator.egress;

import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;

import io.stator.egress.internal.EgressRecordCodec;
import io.stator.egress.internal.EgressRecordDescriptor;
import io.stator.egress.internal.EgressSeek;
import io.stator.egress.internal.EpochLedger;
import io.stator.logs.internal.ChronicleQueues;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.TypeName;
import java.nio.file.Path;
import java.util.Objects;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads an egress log from an offset, in log order.
 *
 * <p><b>Read-committed</b> (exactly-once output): a record is delivered once its epoch is committed, never if it
 * was aborted, and records are delivered in offset order: a record of a committed epoch waits behind an earlier
 * record whose epoch is still open (as Kafka's read-committed consumers stop at the last stable offset). That keeps
 * {@link #nextOffset()} a single number to resume from. <b>Read-uncommitted</b> (at-least-once, lowest latency):
 * every data record at once.
 *
 * <p><b>Offsets.</b> Records are numbered densely from 0 (see {@link EgressLog}); one Chronicle document may hold
 * many records. A reader opened at offset {@code n} delivers the records at offsets {@code >= n}, even from the
 * middle of a document; {@link #nextOffset()} is the offset after the last record delivered or skipped, so a reader
 * reopened there continues without gap or repeat.
 *
 * <p>Single-threaded: one thread polls and closes it (it may be another than the creator).
 */
public final class EgressReader implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EgressReader.class);
    private final String name;
    /** Documents looked at without delivering (markers, aborted batches) in one poll, at most. */
    static final int MAX_SKIPPED_PER_POLL = 16_384;
    /** Documents the look-ahead for markers reads in one step, at most. */
    static final int MAX_LOOKAHEAD_PER_STEP = 65_536;
    /** Look-ahead steps for one record in one poll, at most; a later poll goes on from there. */
    static final int MAX_LOOKAHEAD_STEPS = 16;

    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final boolean readCommitted;
    private final RecordFieldReader fields;
    /** The look-ahead's own: it reads between {@link #poll}'s header and its records. */
    private final RecordFieldReader lookaheadFields;
    /** What the look-ahead has learnt about epochs from the markers between the start offset and its position. */
    private final EpochLedger ledger = new EpochLedger(false);
    private final EgressRecordCodec.Header header = new EgressRecordCodec.Header();
    private final EgressRecordCodec.Header lookaheadHeader = new EgressRecordCodec.Header();
    private ExcerptTailer tailer;
    /** Reads ahead of {@link #tailer} for commit and abort markers; read-committed only. */
    private ExcerptTailer lookahead;
    private long nextOffset;
    /**
     * The Chronicle index of the document the last poll stopped inside (its limit reached, or a record refused), or
     * -1; the next poll reads that document again and continues at the record at {@link #nextOffset}, which starts
     * {@link #stoppedAtByte} bytes into the document's records, without reading the records before it again.
     */
    private long stoppedInIndex = -1;
    private int stoppedAtByte;

    private EgressReader(SingleChronicleQueue queue, boolean ownsQueue, String logName, long fromOffset,
            boolean readCommitted) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.readCommitted = readCommitted;
        this.name = logName;
        this.fields = new RecordFieldReader(logName);
        this.lookaheadFields = new RecordFieldReader(logName);
        this.nextOffset = fromOffset;
    }

    /**
     * Opens a reader on a log of this process. Close the reader before the log.
     *
     * @param log           the log
     * @param fromOffset    the first offset to deliver; 0 for the start of the log
     * @param readCommitted true for committed records only, false for every record at once
     * @return the reader
     */
    public static EgressReader open(EgressLog log, long fromOffset, boolean readCommitted) {
        Objects.requireNonNull(log, "log");
        return new EgressReader(log.queue(), false, log.toString(), requireOffset(fromOffset), readCommitted);
    }

    /**
     * Opens a reader on a log folder, read-only; the runtime may be appending to it from another process.
     *
     * @param folder        the log's folder, {@code <data>/egress/<namespace>/<name>}
     * @param fromOffset    the first offset to deliver; 0 for the start of the log
     * @param readCommitted true for committed records only, false for every record at once
     * @return the reader; closing it closes its view of the queue
     * @throws IllegalArgumentException if the folder holds no log
     */
    public static EgressReader open(Path folder, long fromOffset, boolean readCommitted) {
        requireOffset(fromOffset);
        SingleChronicleQueue queue = ChronicleQueues.openReadOnly(folder);
        return new EgressReader(queue, true, "egress log " + folder, fromOffset, readCommitted);
    }

    /**
     * Delivers up to {@code limit} records and returns without waiting when there are no more (or, when reading
     * committed, when the next record's epoch is still open).
     *
     * @param handler receives each record before the reader moves past it
     * @param limit   at least 1
     * @return how many records were delivered
     */
    public int poll(EgressRecordHandler handler, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("poll limit must be at least 1, was " + limit);
        }
        ExcerptTailer in = tailer();
        int delivered = 0;
        int skipped = 0;
        while (delivered < limit && skipped < MAX_SKIPPED_PER_POLL) {
            try (DocumentContext dc = in.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Bytes<?> bytes = dc.wire().bytes();
                if (!EgressRecordCodec.tryReadHeader(bytes, dc.index(), fields, header)) {
                    skipped++; // damaged: the log's open reported it
                    continue;
                }
                if (header.kind() != KIND_DATA || header.endOffset() <= nextOffset) {
                    skipped++; // a marker, or records below the start offset (the seek may land a little early)
                    continue;
                }
                EpochLedger.Decision decision = readCommitted ? decide(header.epoch()) : EpochLedger.Decision.COMMITTED;
                if (decision == EpochLedger.Decision.OPEN) {
                    dc.rollbackOnClose(); // read it again once its epoch is decided
                    break;
                }
                if (decision == EpochLedger.Decision.ABORTED) {
                    skipped++;
                    nextOffset = header.endOffset();
                    continue;
                }
                delivered += deliver(dc, bytes, handler, limit - delivered);
                if (nextOffset < header.endOffset()) {
                    dc.rollbackOnClose(); // stopped inside the document: the next poll reads it again from here
                }
            }
        }
        return delivered;
    }

    /** @return the offset to resume from: after the last record delivered or skipped, or the start offset */
    public long nextOffset() {
        return nextOffset;
    }

    /** @return true if this reader delivers committed records only */
    public boolean readCommitted() {
        return readCommitted;
    }

    /** Releases the reader's tailers, and its queue if it opened one. */
    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
        if (lookahead != null) {
            lookahead.close();
            lookahead = null;
        }
        if (ownsQueue) {
            queue.close();
        }
    }

    /**
     * Delivers the records of the current data document from {@link #nextOffset} on, at most {@code limit}.
     *
     * @return how many were delivered
     */
    private int deliver(DocumentContext dc, Bytes<?> in, EgressRecordHandler handler, int limit) {
        long index = dc.index();
        long offset = header.baseOffset();
        long end = header.endOffset();
        int resumeAt = 0; // bytes into the records: copy only those from where the last poll stopped
        if (index == stoppedInIndex && offset < nextOffset) {
            resumeAt = stoppedAtByte;
            offset = nextOffset;
        }
        RecordFieldReader document = fields;
        document.load(in, index, EgressRecordDescriptor.HEADER_LENGTH + resumeAt, Integer.MAX_VALUE);
        int delivered = 0;
        int recordStart = resumeAt;
        try {
            for (; offset < end && delivered < limit; offset++) {
                recordStart = resumeAt + document.position();
                TypeName valueType;
                byte[] value;
                try {
                    if (offset < nextOffset) {
                        EgressRecordCodec.skipRecord(document);
                        continue;
                    }
                    valueType = document.typeName("value type");
                    value = document.bytes("value");
                } catch (RuntimeException damaged) { // not the handler's: the rest of the document cannot be read
                    LOG.warn("{}: records {} to {} cannot be read ({}); skipping them", name, offset, end - 1,
                            damaged.getMessage());
                    nextOffset = end;
                    stoppedInIndex = -1;
                    return delivered;
                }
                handler.onRecord(offset, header.epoch(), valueType, value);
                nextOffset = offset + 1;
                delivered++;
            }
        } catch (RuntimeException e) {
            dc.rollbackOnClose(); // stay before the record: it was not delivered
            stopInside(index, recordStart);
            throw e;
        }
        if (offset < end) {
            stopInside(index, resumeAt + document.position());
        } else {
            stoppedInIndex = -1;
        }
        return delivered;
    }

    private void stopInside(long index, int atByte) {
        stoppedInIndex = index;
        stoppedAtByte = atByte;
    }

    /** Decides from the markers seen so far, reading further ahead (a bounded number of steps) if they don't tell. */
    private EpochLedger.Decision decide(long epoch) {
        EpochLedger.Decision decision = ledger.decide(epoch);
        for (int step = 0; step < MAX_LOOKAHEAD_STEPS && decision == EpochLedger.Decision.OPEN; step++) {
            if (!readAheadForMarkers()) {
                break; // at the end of the log: the epoch is really still open
            }
            decision = ledger.decide(epoch);
        }
        return decision;
    }

    /** @return true if the look-ahead read anything new */
    private boolean readAheadForMarkers() {
        boolean read = false;
        for (int i = 0; i < MAX_LOOKAHEAD_PER_STEP; i++) {
            try (DocumentContext dc = lookahead.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                read = true;
                if (!EgressRecordCodec.tryReadHeader(dc.wire().bytes(), dc.index(), lookaheadFields, lookaheadHeader)) {
                    continue; // damaged: no marker there, and the reader skips the document too
                }
                if (lookaheadHeader.kind() != KIND_DATA) {
                    ledger.apply(lookaheadHeader.kind(), lookaheadHeader.epoch());
                }
            }
        }
        return read;
    }

    /** The tailers are created on the polling thread: Chronicle tailers must stay on one thread. */
    private ExcerptTailer tailer() {
        if (tailer == null) {
            tailer = queue.createTailer();
            EgressSeek.seek(queue, tailer, nextOffset, fields);
            if (readCommitted) {
                // Markers before the start offset cannot decide records after it: a record always precedes the
                // marker deciding its epoch. So the look-ahead may start where the reader starts.
                lookahead = queue.createTailer();
                EgressSeek.seek(queue, lookahead, nextOffset, fields);
            }
        }
        return tailer;
    }

    private static long requireOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0, was " + offset);
        }
        return offset;
    }
}
