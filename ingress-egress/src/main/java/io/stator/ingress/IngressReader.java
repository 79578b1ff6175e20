package io.stator.ingress;

import io.stator.ingress.internal.IngressRecordCodec;
import io.stator.ingress.internal.IngressRecordDescriptor;
import io.stator.logs.internal.QueueSeek;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads the ingress records of some key groups (one partition's), in log order. Create it with
 * {@link IngressLog#newReader}.
 *
 * <p>Single-threaded: after creation only one thread may call {@link #poll}, {@link #seek} and {@link #close};
 * it may be another thread than the creator's. {@link #position()} may be read by that thread at any time, for
 * example when a snapshot barrier arrives.
 */
public final class IngressReader implements AutoCloseable {
    /** Records of other key groups looked at and skipped in one poll, at most, so a poll stays short. */
    static final int MAX_SKIPPED_PER_POLL = 16_384;
    /** How many of a damaged document's bytes {@link IngressRecordHandler#onDamaged} is given, at most. */
    public static final int MAX_DAMAGED_BYTES = 16 * 1024;

    private final IngressLog log;
    private final IntPredicate keyGroups;
    private final RecordFieldReader fields;
    /** The records of the document being delivered, field by field; reused, so a record costs no holder object. */
    private int takenCount;
    private int[] takenKeyGroups = new int[16];
    private Address[] takenTargets = new Address[16];
    private TypeName[] takenTypes = new TypeName[16];
    private byte[][] takenValues = new byte[16][];
    private final ArrayDeque<UndeliveredRecord> undelivered = new ArrayDeque<>();
    private ExcerptTailer tailer;
    private long position;
    private boolean seekPending = true;

    IngressReader(IngressLog log, IntPredicate keyGroups, long startPosition) {
        this.log = log;
        this.keyGroups = Objects.requireNonNull(keyGroups, "keyGroups");
        this.fields = new RecordFieldReader(log.toString());
        this.position = startPosition;
    }

    /**
     * Delivers records of this reader's key groups, oldest first, and returns without waiting when there are no
     * more. A log document is delivered whole (an {@link IngressBatch} is one document), so a poll delivers up to
     * {@code limit} records, or more when its last document holds more. Records left by a failed delivery
     * ({@link #undelivered()}) come first, in a poll of their own.
     *
     * @param handler receives each record; if it throws, the record and the rest of its document are kept for the
     *                next poll and the exception propagates. A document that cannot be read is delivered to no
     *                one: the handler is told ({@link IngressRecordHandler#onDamaged}), and decides whether the
     *                reader stays before it
     * @param limit   at least 1
     * @return how many records were delivered; 0 if none are available
     */
    public int poll(IngressRecordHandler handler, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("poll limit must be at least 1, was " + limit);
        }
        int delivered = deliverUndelivered(handler);
        if (delivered > 0) {
            return delivered; // a document's rest first, alone: its failure may come back
        }
        ExcerptTailer in = tailer();
        int skipped = 0;
        while (delivered < limit && skipped < MAX_SKIPPED_PER_POLL) {
            try (DocumentContext dc = in.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                long index = dc.index();
                if (index < position) {
                    skipped++; // before the seek target: the tailer may land a little early
                    continue;
                }
                try {
                    decode(dc.wire().bytes(), index);
                } catch (RuntimeException e) {
                    clearTaken(); // nothing of it is delivered
                    try {
                        handler.onDamaged(index, fields.copyOfDocument(MAX_DAMAGED_BYTES), fields.documentLength(),
                                e);
                    } catch (RuntimeException refused) {
                        dc.rollbackOnClose(); // stay before the document
                        throw refused;
                    }
                    position = index + 1;
                    skipped++;
                    continue;
                }
                position = index + 1; // taken: each record is delivered now or kept in undelivered()
                int n = deliverTaken(handler, index);
                if (n == 0) {
                    skipped++;
                }
                delivered += n;
            }
        }
        return delivered;
    }

    /**
     * @return the position to resume from: the position after the last document taken (its records delivered,
     *     or kept in {@link #undelivered()}) or skipped, or the start position if none was read yet. Store it in a
     *     snapshot, with {@link #undelivered()}; {@link IngressLog#newReader} with it resumes exactly after the
     *     documents this reader has taken.
     */
    public long position() {
        return position;
    }

    /**
     * @return the records of an already taken document that were not delivered because delivering one of them
     *     failed, oldest first (the one that failed is the first); the next {@link #poll} delivers them before
     *     anything else. A snapshot that stores {@link #position()} must store these too: the position is past
     *     their document. Empty unless a handler threw. The list is a copy.
     */
    public List<UndeliveredRecord> undelivered() {
        return List.copyOf(undelivered);
    }

    /** A record of a taken document that the handler has not accepted yet; see {@link #undelivered()}. */
    public record UndeliveredRecord(long position, int keyGroup, Address target, TypeName valueType, byte[] value) {
    }

    /**
     * Moves the reader: the next poll delivers the first matching record at or after {@code position}.
     *
     * @param position {@link IngressLog#START} or a position returned by {@link #position()}
     */
    public void seek(long position) {
        undelivered.clear();
        this.position = position;
        this.seekPending = true;
    }

    /** Releases the reader's tailer. */
    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
    }

    /**
     * Decodes the document's records of this reader's key groups into the taken arrays, checking every record's
     * layout; throws, with nothing taken, if the document is damaged. Decoding all before delivering any keeps a
     * damaged record from stopping a document halfway.
     */
    private void decode(Bytes<?> in, long index) {
        RecordFieldReader record = fields;
        record.load(in, index);
        while (record.remaining() > 0) {
            record.require(IngressRecordDescriptor.HEADER_LENGTH, "the header");
            int flags = record.unsignedByteAt(IngressRecordDescriptor.FLAGS_OFFSET);
            int keyGroup = IngressRecordCodec.readHeader(record);
            if (keyGroups.test(keyGroup)) {
                Address target = new Address(record.typeName("target type"), record.utf8("target id"));
                take(keyGroup, target, record.typeName("value type"), record.bytes("value"));
            } else {
                record.skip("target type");
                record.skip("target id");
                record.skip("value type");
                record.skip("value");
            }
            if ((flags & IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY) != 0) {
                record.skip("idempotency key");
            }
        }
    }

    /**
     * Delivers the taken records in order. If the handler throws, that record and the later ones move to
     * {@link #undelivered()} and the exception propagates.
     *
     * @return how many were delivered
     */
    private int deliverTaken(IngressRecordHandler handler, long index) {
        int n = takenCount;
        try {
            for (int i = 0; i < n; i++) {
                try {
                    handler.onRecord(index, takenKeyGroups[i], takenTargets[i], takenTypes[i], takenValues[i]);
                } catch (RuntimeException e) {
                    for (int j = i; j < n; j++) {
                        undelivered.add(new UndeliveredRecord(index, takenKeyGroups[j], takenTargets[j],
                                takenTypes[j], takenValues[j]));
                    }
                    throw e;
                }
            }
            return n;
        } finally {
            clearTaken();
        }
    }

    private void take(int keyGroup, Address target, TypeName valueType, byte[] value) {
        if (takenCount == takenKeyGroups.length) {
            int size = takenCount * 2;
            takenKeyGroups = Arrays.copyOf(takenKeyGroups, size);
            takenTargets = Arrays.copyOf(takenTargets, size);
            takenTypes = Arrays.copyOf(takenTypes, size);
            takenValues = Arrays.copyOf(takenValues, size);
        }
        takenKeyGroups[takenCount] = keyGroup;
        takenTargets[takenCount] = target;
        takenTypes[takenCount] = valueType;
        takenValues[takenCount] = value;
        takenCount++;
    }

    /** Forgets the taken records, dropping the references so that delivered values can be collected. */
    private void clearTaken() {
        Arrays.fill(takenTargets, 0, takenCount, null);
        Arrays.fill(takenTypes, 0, takenCount, null);
        Arrays.fill(takenValues, 0, takenCount, null);
        takenCount = 0;
    }

    /** Delivers what a failed delivery left, oldest first; a record leaves the list only once it was accepted. */
    private int deliverUndelivered(IngressRecordHandler handler) {
        int delivered = 0;
        for (UndeliveredRecord r; (r = undelivered.peek()) != null; ) {
            handler.onRecord(r.position(), r.keyGroup(), r.target(), r.valueType(), r.value());
            undelivered.poll();
            delivered++;
        }
        return delivered;
    }

    /** The tailer is created on the polling thread: Chronicle tailers must stay on one thread. */
    private ExcerptTailer tailer() {
        if (tailer == null) {
            tailer = log.queue().createTailer();
            tailer.singleThreadedCheckDisabled(true); // one polling thread only, so the owner check is redundant
        }
        if (seekPending) {
            QueueSeek.seek(log.queue(), tailer, position);
            seekPending = false;
        }
        return tailer;
    }
}
