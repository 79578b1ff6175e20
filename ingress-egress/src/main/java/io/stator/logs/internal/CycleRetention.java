package io.stator.logs.internal;

import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.NavigableSet;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files (roll cycles) of a queue that lie entirely before a position. The file holding the position
 * and the newest file are always kept, so the appender never loses its file.
 */
public final class CycleRetention {
    private static final Logger LOG = LoggerFactory.getLogger(CycleRetention.class);

    private CycleRetention() {
    }

    /**
     * @param queue    an open, writable queue
     * @param position the smallest index anyone still needs
     * @return how many files were deleted
     */
    public static int deleteBefore(SingleChronicleQueue queue, long position) {
        int lastCycle = queue.lastCycle();
        int firstCycle = queue.firstCycle();
        if (lastCycle < firstCycle || position <= 0) {
            return 0; // empty queue, or a position before every record
        }
        int keepFrom = Math.min(queue.rollCycle().toCycle(position), lastCycle);
        if (firstCycle >= keepFrom) {
            return 0;
        }
        NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, keepFrom - 1);
        DateTimeFormatter names = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
        int deleted = 0;
        for (long cycle : cycles) {
            File file = fileOf(queue, names, (int) cycle);
            if (file.delete()) {
                deleted++;
                LOG.info("released {} (all its records lie before position {})", file, position);
            } else if (file.exists()) {
                LOG.warn("could not delete released log file {}", file);
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** The file name is the cycle's start time in the roll cycle's format, as Chronicle names it. */
    private static File fileOf(SingleChronicleQueue queue, DateTimeFormatter names, int cycle) {
        RollCycle rollCycle = queue.rollCycle();
        Instant start = Instant.ofEpochMilli((long) cycle * rollCycle.lengthInMillis() + queue.epoch());
        return new File(queue.file(), names.format(start) + SingleChronicleQueue.SUFFIX);
    }
}
