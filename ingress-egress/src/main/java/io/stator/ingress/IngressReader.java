package io.stator.ingress;

import io.stator.ingress.internal.IngressRecordCodec;
import io.stator.logs.internal.QueueSeek;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
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

    private final IngressLog log;
    private final IntPredicate keyGroups;
    private final RecordFieldReader fields;
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
     * Delivers up to {@code limit} records of this reader's key groups, oldest first, and returns without
     * waiting when there are no more.
     *
     * @param handler receives each record before the reader moves past it
     * @param limit   at least 1
     * @return how many records were delivered; 0 if none are available
     */
    public int poll(IngressRecordHandler handler, int limit) {
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
                long index = dc.index();
                if (index < position) {
                    skipped++; // before the seek target: the tailer may land a little early
                    continue;
                }
                if (deliver(dc, index, handler)) {
                    delivered++;
                } else {
                    skipped++;
                }
                position = index + 1;
            }
        }
        return delivered;
    }

    /**
     * @return the position to resume from: the position after the last record delivered or skipped, or the
     *     start position if none was read yet. Store it in a snapshot; {@link IngressLog#newReader} with it resumes
     *     exactly after the records this reader has delivered.
     */
    public long position() {
        return position;
    }

    /**
     * Moves the reader: the next poll delivers the first matching record at or after {@code position}.
     *
     * @param position {@link IngressLog#START} or a position returned by {@link #position()}
     */
    public void seek(long position) {
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

    private boolean deliver(DocumentContext dc, long index, IngressRecordHandler handler) {
        Bytes<?> in = dc.wire().bytes();
        int keyGroup = IngressRecordCodec.readHeader(in, index, fields);
        if (!keyGroups.test(keyGroup)) {
            return false;
        }
        try {
            Address target = new Address(fields.typeName(in, index, "target type"), fields.utf8(in, index, "target id"));
            TypeName valueType = fields.typeName(in, index, "value type");
            byte[] value = fields.bytes(in, index, "value");
            handler.onRecord(index, keyGroup, target, valueType, value);
            return true;
        } catch (RuntimeException e) {
            dc.rollbackOnClose(); // stay before the record: it was not delivered
            throw e;
        }
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
