package io.stator.egress.internal;

import io.stator.egress.EgressLog;
import io.stator.egress.EgressReader;
import io.stator.egress.EgressRecordHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open server-sent-event streams of egress records. One scheduler thread reads each stream's records and hands
 * them to Undertow, which writes them asynchronously: no Undertow IO or worker thread ever waits for records. A
 * stream reads when its log tells it of news (a commit or abort for a read-committed stream, an append for a
 * read-uncommitted one), every poll interval (a safety net, and an egress that has no log yet), and again at once
 * while it finds full batches: a backlog is read at the client's pace, not a batch per interval. A stream stops
 * when its client goes away or when this is closed.
 *
 * <p>Threads: each stream's reader is only touched by the scheduler thread; Undertow's close callbacks hand the
 * clean-up to it as well.
 */
public final class EgressStreams implements AutoCloseable {
    /** Events handed to Undertow and not yet written, per stream, beyond which polling pauses. */
    static final int MAX_UNWRITTEN_EVENTS = 1_000;
    /**
     * Characters of events handed to Undertow and not yet written, per stream, beyond which polling pauses (after
     * one event at least): a slow reader of records of megabytes held a thousand of them, 1.4 GB.
     */
    static final long MAX_UNWRITTEN_CHARS = 4 << 20;
    /**
     * Characters of events Undertow holds for all streams together, beyond which every stream that has some waiting
     * pauses: a hundred slow readers of large records would otherwise hold a hundred times the per-stream bound.
     */
    static final long MAX_UNWRITTEN_CHARS_ALL = 64 << 20;
    /** Records read per stream per reader poll, at most. */
    static final int BATCH = 256;
    /** Full batches one stream reads in a row before the other streams get their turn. */
    static final int BATCHES_PER_TURN = 16;
    /** How often an idle stream sends a comment, which also detects clients that went away. */
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private static final Logger LOG = LoggerFactory.getLogger(EgressStreams.class);

    private final long pollIntervalMillis;
    private final long maxUnwrittenCharsAll;
    /** The characters of events Undertow holds for all streams. */
    private final AtomicLong unwrittenCharsAll = new AtomicLong();
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param pollInterval how often each stream looks for new records */
    public EgressStreams(Duration pollInterval) {
        this(pollInterval, MAX_UNWRITTEN_CHARS_ALL);
    }

    /** For tests: a smaller bound on what Undertow may hold for all streams together. */
    EgressStreams(Duration pollInterval, long maxUnwrittenCharsAll) {
        this.pollIntervalMillis = Math.max(1, pollInterval.toMillis());
        this.maxUnwrittenCharsAll = maxUnwrittenCharsAll;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "stator-egress-sse");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true); // a stopped stream's periodic poll leaves the queue at once
    }

    /**
     * Starts an event stream on the exchange: headers now, then one event per record ({@code id: <offset>},
     * {@code data: <json line>}).
     *
     * @param log finds the egress's log; until it does (no function has emitted to the egress yet) the stream is
     *            open and waits, looking again at every poll, as a reader of a topic that is not there yet would
     */
    public void start(HttpServerExchange exchange, Supplier<Optional<EgressLog>> log, long from, boolean readCommitted)
            throws Exception {
        if (closed) {
            throw new IllegalStateException("egress streams are closed");
        }
        new ServerSentEventHandler((connection, lastEventId) -> open(connection, log, from, readCommitted))
                .handleRequest(exchange);
    }

    /** @return how many streams are open */
    public int openStreams() {
        return streams.size();
    }

    /** For tests: the characters of events Undertow holds for all streams, not yet written to their clients. */
    long unwrittenChars() {
        return unwrittenCharsAll.get();
    }

    /** For tests: how many tasks the streams' thread has run, and how many wait for it. */
    long[] tasksRunAndQueued() {
        return new long[] {scheduler.getCompletedTaskCount(), scheduler.getQueue().size()};
    }

    /** Ends every stream, then stops the scheduler thread; waits up to five seconds for it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            scheduler.submit(() -> streams.forEach(Stream::stopAndEnd)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("ending egress streams failed: {}", e.toString());
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the egress stream thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void open(ServerSentEventConnection connection, Supplier<Optional<EgressLog>> log, long from,
            boolean readCommitted) {
        Stream stream = new Stream(connection, log, from, readCommitted);
        try {
            scheduler.execute(() -> stream.begin(pollIntervalMillis));
        } catch (RejectedExecutionException e) {
            closeQuietly(connection);
        }
    }

    private void runOnScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: close() ends every stream itself
        }
    }

    private static void closeQuietly(ServerSentEventConnection connection) {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing an event stream failed: {}", e.toString());
        }
    }

    /** One client's stream. Every method runs on the scheduler thread. */
    private final class Stream implements ServerSentEventConnection.EventCallback {
        private final ServerSentEventConnection connection;
        private final Supplier<Optional<EgressLog>> finder;
        private final long from;
        private final boolean readCommitted;
        private final AtomicInteger unwritten = new AtomicInteger();
        private final AtomicLong unwrittenChars = new AtomicLong();
        /** Set while polling waits for Undertow to write half of what it holds; {@link #done} clears it. */
        private final AtomicBoolean paused = new AtomicBoolean();
        /** Set while a wake-up is queued on the scheduler: many appends in a row queue one poll. */
        private final AtomicBoolean wakePending = new AtomicBoolean();
        /**
         * Set once a stop is queued on the scheduler: when a client goes away, each of its up to
         * {@link #MAX_UNWRITTEN_EVENTS} queued events fails on its own, and each used to queue a stop.
         */
        private final AtomicBoolean stopQueued = new AtomicBoolean();
        /** Hands news of the log (an append, or a commit or abort) on to this stream's scheduler thread. */
        private final Runnable wake = () -> {
            if (wakePending.compareAndSet(false, true)) {
                runOnScheduler(this::pollWoken);
            }
        };
        private final EgressRecordHandler toClient;
        /** Null until the egress exists. */
        private EgressLog log;
        private EgressReader reader;
        private ScheduledFuture<?> polling;
        private boolean stopped;

        Stream(ServerSentEventConnection connection, Supplier<Optional<EgressLog>> finder, long from,
                boolean readCommitted) {
            this.connection = connection;
            this.toClient = (offset, epoch, type, value) -> {
                if (full()) {
                    throw StopReading.INSTANCE; // the record stays for the poll after Undertow has written half
                }
                String line = EgressJson.line(offset, epoch, type, value);
                unwritten.incrementAndGet();
                unwrittenChars.addAndGet(line.length());
                unwrittenCharsAll.addAndGet(line.length());
                connection.send(line, null, Long.toString(offset), this);
            };
            this.finder = finder;
            this.from = from;
            this.readCommitted = readCommitted;
        }

        void begin(long intervalMillis) {
            if (closed || !connection.isOpen()) {
                closeQuietly(connection);
                return;
            }
            streams.add(this);
            connection.setKeepAliveTime(KEEP_ALIVE_MILLIS);
            connection.addCloseTask(c -> queueStop());
            polling = scheduler.scheduleWithFixedDelay(this::poll, 0, intervalMillis, TimeUnit.MILLISECONDS);
        }

        /** @return whether the reader is open, opening it once the egress exists; false (stream ended) on failure */
        private boolean readerOpen() {
            if (reader != null) {
                return true;
            }
            try {
                log = finder.get().orElse(null);
                if (log != null) {
                    reader = EgressReader.open(log, from, readCommitted);
                    if (readCommitted) {
                        log.addEpochListener(wake);
                    } else {
                        log.addAppendListener(wake);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot stream {}: {}", log == null ? "an egress" : log, e.toString());
                stopAndEnd();
                return false;
            }
            return reader != null;
        }

        private void pollWoken() {
            wakePending.set(false); // before reading: news that comes during this poll queues another
            poll();
        }

        private void poll() {
            if (stopped) {
                return;
            }
            if (!connection.isOpen()) {
                stop();
                return;
            }
            if (!readerOpen()) {
                return;
            }
            try {
                for (int batches = 0; batches < BATCHES_PER_TURN; batches++) {
                    if (reader.poll(toClient, BATCH) < BATCH) {
                        return; // caught up, or waiting for an epoch's decision
                    }
                }
                runOnScheduler(this::poll); // more is waiting: read on after the other streams' turns
            } catch (StopReading full) {
                pause();
            } catch (RuntimeException e) {
                LOG.warn("streaming {} failed, closing the stream: {}", log, e.toString());
                stopAndEnd();
            }
        }

        /** Stops polling and ends the response, so the client sees the stream finish. */
        void stopAndEnd() {
            stop();
            try {
                connection.shutdown();
            } catch (RuntimeException e) { // e.g. the server stopped first and its IO threads are gone
                LOG.debug("ending an event stream of {} failed: {}", log, e.toString());
                closeQuietly(connection);
            }
        }

        void stop() {
            stopped = true;
            if (polling != null) {
                polling.cancel(false);
                polling = null;
            }
            if (reader != null) {
                if (log != null) {
                    log.removeEpochListener(wake);
                    log.removeAppendListener(wake);
                }
                reader.close();
                reader = null;
            }
            streams.remove(this);
        }

        /** @return whether Undertow holds as much of this stream as it may: polling waits */
        private boolean full() {
            long own = unwrittenChars.get();
            return unwritten.get() >= MAX_UNWRITTEN_EVENTS || own >= MAX_UNWRITTEN_CHARS
                    || own > 0 && unwrittenCharsAll.get() >= maxUnwrittenCharsAll; // one event each, at least
        }

        /**
         * @return whether Undertow holds at most half of what it may for this stream, and for all streams unless
         *     this one has nothing waiting: a paused stream reads on
         */
        private boolean halfWritten() {
            long own = unwrittenChars.get();
            return unwritten.get() <= MAX_UNWRITTEN_EVENTS / 2 && own <= MAX_UNWRITTEN_CHARS / 2
                    && (own == 0 || unwrittenCharsAll.get() <= maxUnwrittenCharsAll / 2);
        }

        /** A slow client: waits until {@link #done} finds half written, unless that happened meanwhile. */
        private void pause() {
            paused.set(true);
            if (halfWritten() && paused.compareAndSet(true, false)) {
                runOnScheduler(this::poll); // written meanwhile, and done() saw no pause to end
            }
        }

        @Override
        public void done(ServerSentEventConnection c, String data, String event, String id) {
            written(data);
            if (paused.get() && halfWritten() && paused.compareAndSet(true, false)) {
                runOnScheduler(this::poll);
            }
        }

        @Override
        public void failed(ServerSentEventConnection c, String data, String event, String id, IOException e) {
            written(data);
            queueStop();
        }

        private void written(String data) {
            int chars = data == null ? 0 : data.length();
            unwritten.decrementAndGet();
            unwrittenChars.addAndGet(-chars);
            unwrittenCharsAll.addAndGet(-chars);
        }

        /** Queues {@link #stop} on the scheduler, once; any thread. */
        private void queueStop() {
            if (stopQueued.compareAndSet(false, true)) {
                runOnScheduler(this::stop);
            }
        }
    }
}
