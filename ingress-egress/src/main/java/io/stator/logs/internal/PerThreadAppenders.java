package io.stator.logs.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chronicle appender per thread. Chronicle appenders refuse to be used by two threads (they throw), while
 * HTTP worker threads and partition threads append to the same log concurrently; Chronicle itself serialises the
 * writes of all appenders of a queue with its write lock.
 */
public final class PerThreadAppenders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PerThreadAppenders.class);

    private final ChronicleQueue queue;
    private final ThreadLocal<ExcerptAppender> appenders = new ThreadLocal<>();
    private final Queue<ExcerptAppender> created = new ConcurrentLinkedQueue<>();

    /** @param queue the queue to append to; it must outlive this object */
    public PerThreadAppenders(ChronicleQueue queue) {
        this.queue = queue;
    }

    /** @return the calling thread's appender, created on the thread's first call */
    public ExcerptAppender forCurrentThread() {
        ExcerptAppender appender = appenders.get();
        if (appender == null || appender.isClosed()) {
            appender = queue.createAppender();
            // Only this thread ever uses it (thread-local), so Chronicle's per-call owner check is redundant; it
            // cost ~19% of a partition's CPU in W1 (JFR).
            appender.singleThreadedCheckDisabled(true);
            appenders.set(appender);
            created.add(appender);
        }
        return appender;
    }

    /** Closes every appender created so far; call it after the producers stopped, before closing the queue. */
    @Override
    public void close() {
        for (ExcerptAppender appender; (appender = created.poll()) != null; ) {
            try {
                appender.close();
            } catch (RuntimeException e) {
                LOG.warn("closing an appender of {} failed: {}", queue.fileAbsolutePath(), e.toString());
            }
        }
    }
}
