package io.stator.benchmarks.driver;

import io.stator.egress.EgressLog;
import io.stator.egress.EgressReader;
import io.stator.egress.EgressRecordHandler;
import io.stator.sdk.TypeName;
import java.nio.file.Path;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Reads a run's egress log while the runtime runs, in one {@link ReaderMode}: feeds every record to an
 * {@link EgressCheck} and, for the run's probes, records the latency from append to the moment the record became
 * visible here. Runs on its own thread until it has seen as many records as messages were sent, or the deadline;
 * it then closes its reader (which must happen before the log closes) and remembers where it stopped, so that
 * {@link #drainRest} can look for records that came later.
 */
final class EgressConsumer implements Runnable {
    private static final int POLL_LIMIT = 4096;
    /** Polls of the closed log's tail, at most: each delivers up to {@link #POLL_LIMIT} records or skips markers. */
    private static final int MAX_TAIL_POLLS = 100_000;

    private final EgressLog log;
    private final ReaderMode mode;
    private final long msgs;
    private final long deadlineNanos;
    private final EgressCheck check;
    private final LatencyRecorder latencies;
    private final EgressRecordHandler handler = this::onRecord;
    private volatile long lastRecordNanos;
    private volatile long nextOffset;
    private volatile boolean finished;
    private volatile long distinctAtStop;
    private volatile RuntimeException failure;

    /**
     * @param log           the egress log the workload's functions write to
     * @param msgs          the number of records that ends the run
     * @param deadlineNanos the {@link System#nanoTime()} at which to give up
     */
    EgressConsumer(EgressLog log, ReaderMode mode, long msgs, long deadlineNanos, EgressCheck check) {
        this.log = log;
        this.mode = mode;
        this.msgs = msgs;
        this.deadlineNanos = deadlineNanos;
        this.check = check;
        this.latencies = new LatencyRecorder(msgs);
    }

    @Override
    public void run() {
        // Park at once, as the partitions do: at W4's rates, spinning and yielding between records took a quarter
        // of a core from the runtime on two cores (JFR), for a detection delay the park keeps under 0.1 ms.
        IdleStrategy idle = new BackoffIdleStrategy(0, 0, 1_000, 100_000);
        try (EgressReader reader = EgressReader.open(log, 0, mode.readCommitted())) {
            try {
                while (check.records() < msgs && System.nanoTime() - deadlineNanos < 0) {
                    idle.idle(reader.poll(handler, POLL_LIMIT));
                }
                finished = check.records() >= msgs;
            } finally {
                distinctAtStop = check.distinct();
                nextOffset = reader.nextOffset();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Reads what the log holds after the offset this consumer stopped at, into the same check (no latencies). After
     * a finished run every such record is a duplicate; after a run cut short it is output the runtime still made
     * while it stopped. Call it after the runtime closed the log; it reads the log's folder read-only.
     *
     * @param folder the egress log's folder
     */
    void drainRest(Path folder) {
        EgressRecordHandler checkOnly = (offset, epoch, type, value) -> check.onRecord(type, value);
        try (EgressReader reader = EgressReader.open(folder, nextOffset, mode.readCommitted())) {
            long before = -1;
            for (int i = 0; i < MAX_TAIL_POLLS && (reader.nextOffset() != before); i++) {
                before = reader.nextOffset();
                reader.poll(checkOnly, POLL_LIMIT);
            }
        }
    }

    /** @return the reading mode */
    ReaderMode mode() {
        return mode;
    }

    /** @return whether it saw as many records as messages were sent, before the deadline */
    boolean finished() {
        return finished;
    }

    /** @return distinct messages whose records this consumer had read when it stopped (before {@link #drainRest}) */
    long distinctAtStop() {
        return distinctAtStop;
    }

    /** @return {@link System#nanoTime()} when the last record was read, or 0 if none was */
    long lastRecordNanos() {
        return lastRecordNanos;
    }

    /** @return the records' latencies; read after the consumer's thread finished */
    LatencyRecorder latencies() {
        return latencies;
    }

    /** @return the check this consumer feeds */
    EgressCheck check() {
        return check;
    }

    /** @return why reading failed, or null */
    RuntimeException failure() {
        return failure;
    }

    private void onRecord(long offset, long epoch, TypeName valueType, byte[] value) {
        long now = System.nanoTime();
        byte[] probe = check.onRecord(valueType, value);
        if (probe != null) {
            latencies.record(now - ProbeDescriptor.appendNanos(probe));
        }
        lastRecordNanos = now;
    }
}
