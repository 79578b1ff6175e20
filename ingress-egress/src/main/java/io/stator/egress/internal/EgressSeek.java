package io.stator.egress.internal;

import io.stator.logs.internal.RecordFieldReader;
import java.util.NavigableSet;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Positions a tailer for "resume at the record with offset P" in an egress log, whose offsets are not Chronicle
 * indexes (see {@link EgressRecordDescriptor}): a binary search over the documents' base offsets, which never
 * decrease along the log, first over the log's files (by their first document), then within the file found (whose
 * Chronicle sequence numbers are contiguous). Each probe reads one document header.
 *
 * <p>The tailer ends at the last document whose base offset is at most P, or at the start: no record at or after P
 * lies before it, while the records of that document below P are the reader's to skip. A document that cannot be
 * read (a file with no documents, a sequence number not written yet) counts as lying after P, which may only leave
 * the tailer earlier than it could be, never later.
 */
public final class EgressSeek {
    private EgressSeek() {
    }

    /**
     * @param queue  the tailer's queue
     * @param tailer a forward tailer
     * @param offset the offset to resume at; 0 or less means the start of the log
     * @param fields reads (and checks) the headers probed
     */
    public static void seek(SingleChronicleQueue queue, ExcerptTailer tailer, long offset, RecordFieldReader fields) {
        if (offset <= 0 || queue.firstCycle() == Integer.MAX_VALUE) {
            tailer.toStart();
            return;
        }
        EgressRecordCodec.Header header = new EgressRecordCodec.Header();
        RollCycle roll = queue.rollCycle();
        long[] cycles = cycles(queue);
        int file = -1;
        int low = 0;
        int high = cycles.length - 1;
        while (low <= high) { // bounded: halves each step
            int mid = (low + high) >>> 1;
            if (baseOffsetAt(tailer, roll.toIndex((int) cycles[mid], 0), fields, header) <= offset) {
                file = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (file < 0) {
            tailer.toStart();
            return;
        }
        int cycle = (int) cycles[file];
        long found = 0;
        long first = 1;
        long last = tailer.excerptsInCycle(cycle) - 1;
        while (first <= last) { // bounded: halves each step
            long mid = (first + last) >>> 1;
            if (baseOffsetAt(tailer, roll.toIndex(cycle, mid), fields, header) <= offset) {
                found = mid;
                first = mid + 1;
            } else {
                last = mid - 1;
            }
        }
        if (!tailer.moveToIndex(roll.toIndex(cycle, found))) {
            tailer.toStart(); // the file went away meanwhile (retention): the start is never too late
        }
    }

    private static long[] cycles(SingleChronicleQueue queue) {
        NavigableSet<Long> set = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
        long[] cycles = new long[set.size()];
        int i = 0;
        for (Long cycle : set) {
            cycles[i++] = cycle;
        }
        return cycles;
    }

    /** @return the base offset of the document at {@code index}, or {@link Long#MAX_VALUE} if there is none */
    private static long baseOffsetAt(ExcerptTailer tailer, long index, RecordFieldReader fields,
            EgressRecordCodec.Header header) {
        if (!tailer.moveToIndex(index)) {
            return Long.MAX_VALUE;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return Long.MAX_VALUE;
            }
            // A damaged document counts as one that cannot be read: after P.
            return EgressRecordCodec.tryReadHeader(dc.wire().bytes(), dc.index(), fields, header)
                    ? header.baseOffset() : Long.MAX_VALUE;
        }
    }
}
