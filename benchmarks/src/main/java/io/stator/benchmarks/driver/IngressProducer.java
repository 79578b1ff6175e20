package io.stator.benchmarks.driver;

import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.util.concurrent.locks.LockSupport;

/**
 * The live producer: appends message {@code 0 .. msgs-1} to the ingress log while the runtime runs, each an
 * ingress probe stamped with {@link System#nanoTime()} just before its append. At a fixed rate it paces itself
 * against a schedule (falling behind, it appends without pausing until it has caught up), one message per append;
 * otherwise it appends as fast as the log takes them, {@link #BATCH_RECORDS} per log document. Runs on its own thread; stops early when told to or at the deadline.
 */
final class IngressProducer implements Runnable {
    /** How often (in messages) the producer looks at the clock and the stop flag when not pacing. */
    private static final int CHECK_EVERY = 1024;
    /**
     * Messages per log document when not pacing ({@link IngressBatch}): a producer with a backlog at hand batches,
     * which took W1's CPU per message down by ~20% (benchmarks/RESULTS.md, session 10). A paced producer
     * appends each message on its own, at its time.
     */
    static final int BATCH_RECORDS = 64;

    private final IngressBatch batch = new IngressBatch();

    private final IngressLog log;
    private final KeySpace keys;
    private final Address[] targets;
    private final int[] keyGroups;
    private final long msgs;
    private final long ratePerSecond;
    private final long deadlineNanos;
    private volatile boolean stopped;
    private volatile long firstAppendNanos;
    private volatile long appended;
    private volatile RuntimeException failure;

    /**
     * @param targetType     the function type every message goes to
     * @param maxParallelism the runtime's key groups, to stamp each record with its target's key group
     * @param ratePerSecond  messages per second, or 0 for as fast as possible
     * @param deadlineNanos  the {@link System#nanoTime()} at which to give up
     */
    IngressProducer(IngressLog log, TypeName targetType, KeySpace keys, int maxParallelism, long msgs,
            long ratePerSecond, long deadlineNanos) {
        this.log = log;
        this.keys = keys;
        this.msgs = msgs;
        this.ratePerSecond = ratePerSecond;
        this.deadlineNanos = deadlineNanos;
        this.targets = new Address[keys.size()];
        this.keyGroups = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            targets[k] = new Address(targetType, keys.id(k));
            keyGroups[k] = KeyGroups.keyGroupFor(targets[k], maxParallelism);
        }
    }

    @Override
    public void run() {
        byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH]; // the log copies it: one array serves every append
        long start = System.nanoTime();
        firstAppendNanos = start;
        try {
            for (long i = 0; i < msgs; i++) {
                if ((ratePerSecond > 0 || i % CHECK_EVERY == 0) && shouldStop()) {
                    return;
                }
                if (ratePerSecond > 0) {
                    pace(start + (long) (i * (1e9 / ratePerSecond)));
                    int key = keys.keyOf(i);
                    ProbeDescriptor.writeIngress(probe, i, System.nanoTime());
                    log.append(keyGroups[key], targets[key], ProbeDescriptor.TYPE, probe, null);
                    appended = i + 1;
                } else {
                    i = appendBatch(i, probe) - 1; // the loop's i++ moves to the batch's end
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Appends messages {@code from ..} as one batch of up to {@link #BATCH_RECORDS} (one log document), each
     * stamped just before it is added.
     *
     * @return the message after the batch
     */
    private long appendBatch(long from, byte[] probe) {
        long end = Math.min(msgs, from + BATCH_RECORDS);
        batch.clear();
        for (long j = from; j < end; j++) {
            int key = keys.keyOf(j);
            ProbeDescriptor.writeIngress(probe, j, System.nanoTime());
            batch.add(keyGroups[key], targets[key], ProbeDescriptor.TYPE, probe);
        }
        log.append(batch);
        appended = end;
        return end;
    }

    /** Asks the producer to stop after its current append. Any thread. */
    void stop() {
        stopped = true;
    }

    /** @return {@link System#nanoTime()} just before the first append */
    long firstAppendNanos() {
        return firstAppendNanos;
    }

    /** @return how many messages were appended so far */
    long appended() {
        return appended;
    }

    /** @return why appending failed, or null */
    RuntimeException failure() {
        return failure;
    }

    private boolean shouldStop() {
        return stopped || System.nanoTime() - deadlineNanos >= 0;
    }

    /** Waits until {@code dueNanos}; a park may overshoot, which the next appends make up without waiting. */
    private static void pace(long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
