package io.stator.logs.internal;

import java.text.ParseException;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Positions a tailer for "resume at the first record whose index is at least P". Chronicle's
 * {@code moveToIndex} only succeeds for an index that exists, while a resume position is usually the index
 * after the last record read, which may not exist (yet, or ever: the file rolled meanwhile).
 *
 * <p>The tailer may end up before P but never after it; readers skip the records below P themselves.
 */
public final class QueueSeek {
    private QueueSeek() {
    }

    /**
     * @param queue    the tailer's queue
     * @param tailer   a forward tailer
     * @param position the index to resume at; 0 or less means the start of the log
     */
    public static void seek(SingleChronicleQueue queue, ExcerptTailer tailer, long position) {
        if (position <= 0 || position <= queue.firstIndex()) {
            tailer.toStart();
            return;
        }
        if (tailer.moveToIndex(position) || tailer.index() == position) {
            // The second case: P is just past the last record of its file; Chronicle then leaves the tailer there
            // and the next read continues in the following file.
            return;
        }
        if (position > queue.lastIndex()) {
            tailer.toEnd();
            return;
        }
        // P lies in a gap: its file is missing or holds fewer records. The next record is the first of a later file.
        int next = nextCycle(queue, queue.rollCycle().toCycle(position));
        if (next < 0 || !tailer.moveToIndex(queue.rollCycle().toIndex(next, 0))) {
            tailer.toEnd();
        }
    }

    private static int nextCycle(SingleChronicleQueue queue, int cycle) {
        try {
            return queue.nextCycle(cycle, TailerDirection.FORWARD);
        } catch (ParseException e) {
            throw new IllegalStateException("cannot list the files of " + queue.fileAbsolutePath() + ": " + e, e);
        }
    }
}
