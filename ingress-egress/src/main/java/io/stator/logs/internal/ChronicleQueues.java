package io.stator.logs.internal;

import io.stator.logs.LogContext;
import io.stator.logs.RollPeriod;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/** Opens the Chronicle Queues behind the logs; the only place that turns a {@link LogContext} into queue settings. */
public final class ChronicleQueues {
    private ChronicleQueues() {
    }

    /**
     * Opens (creating if needed) a writable queue.
     *
     * @param folder  the queue's folder
     * @param context concluded settings
     * @return the queue; the caller closes it
     */
    public static SingleChronicleQueue openWritable(Path folder, LogContext context) {
        var clock = context.clock();
        return SingleChronicleQueueBuilder.binary(folder)
                .rollCycle(rollCycle(context.rollPeriod()))
                .timeProvider(clock::getAsLong)
                .build();
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
