package io.stator.logs.internal;

import io.stator.logs.LogContext;
import io.stator.logs.RollPeriod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/** Opens the Chronicle Queues behind the logs; the only place that turns a {@link LogContext} into queue settings. */
public final class ChronicleQueues {
    private ChronicleQueues() {
    }

    /**
     * Opens (creating if needed) a writable queue, with the current cycle's file created.
     *
     * @param folder  the queue's folder
     * @param context concluded settings
     * @return the queue; the caller closes it
     * @throws java.io.UncheckedIOException if the folder cannot be created (a file in its way, no permission)
     */
    public static SingleChronicleQueue openWritable(Path folder, LogContext context) {
        try {
            // Chronicle itself would fall back to a read-only queue, log a stack trace, and fail at the first append.
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log folder " + folder, e);
        }
        var clock = context.clock();
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(folder)
                .rollCycle(rollCycle(context.rollPeriod()))
                .timeProvider(clock::getAsLong)
                .build();
        try {
            createCurrentCycleFile(queue);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        return queue;
    }

    /**
     * Creates the current cycle's file now rather than at the first append, by writing a metadata excerpt (readers
     * skip those, and they take no index), so that the first record of a freshly started node does not wait for
     * the file to be created and mapped (JMH {@code LogBenchmarks.firstIngressAppend}: about 5 ms without, 1-1.6 ms
     * with). The next cycle's file is still created by the first append after the roll.
     */
    private static void createCurrentCycleFile(SingleChronicleQueue queue) {
        try (ExcerptAppender appender = queue.createAppender();
             DocumentContext dc = appender.writingDocument(true)) {
            dc.wire().bytes().writeInt(0);
        }
    }

    /**
     * Opens an existing queue read-only, e.g. from another process than the one appending. The roll period comes
     * from the queue's own metadata.
     *
     * @throws IllegalArgumentException if the folder does not hold a queue
     */
    public static SingleChronicleQueue openReadOnly(Path folder) {
        if (!exists(folder)) {
            throw new IllegalArgumentException("no log in folder " + folder + ": "
                    + SingleChronicleQueue.QUEUE_METADATA_FILE + " not found");
        }
        // The queue's metadata decides the roll cycle; naming the default one avoids Chronicle's warning that it
        // overrides the builder's for the usual case.
        return SingleChronicleQueueBuilder.binary(folder)
                .rollCycle(rollCycle(new LogContext().rollPeriod()))
                .readOnly(true)
                .build();
    }

    /** @return true if the folder holds a queue (its metadata file exists) */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE));
    }

    /** @return true if the file is a queue's metadata file, which every queue folder holds */
    public static boolean isMetadataFile(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().equals(SingleChronicleQueue.QUEUE_METADATA_FILE);
    }

    /** @return the Chronicle roll cycle of a period */
    static RollCycle rollCycle(RollPeriod period) {
        return switch (period) {
            case SECONDLY -> TestRollCycles.TEST_SECONDLY;
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
        };
    }
}
