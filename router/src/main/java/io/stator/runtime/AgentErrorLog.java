package io.stator.runtime;

import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.agrona.ErrorHandler;

/**
 * The error handler of one agent's thread (a partition, the snapshot coordinator): an error that escapes a duty
 * cycle is logged with its stack trace, but an error that repeats on every cycle is not: the first is logged, then
 * at most one line every 10 s with how many came since and the latest. Before this, a partition whose cycle threw on
 * every call (RocksDB refusing writes on a full disk) logged some 20,000 stack traces a second, ~40 MB/s of log on
 * the disk that was full. An {@link Error} is logged at once and passed on to {@link StatorConfig#onThreadDeath}: the
 * runner rethrows it and the thread stops. Called on the agent's thread only.
 */
final class AgentErrorLog implements ErrorHandler {
    static final long QUIET_NANOS = 10_000_000_000L;

    private final String agent;
    private final BiConsumer<String, Throwable> sink;
    private final BiConsumer<String, Throwable> onDeath;
    private final LongSupplier nanoClock;
    private long loggedAt;
    private boolean loggedAny;
    private long unlogged;

    /**
     * @param agent     names the agent in the log lines
     * @param sink      writes a line with its error (the logger's {@code error})
     * @param onDeath   told of an {@link Error}, after which the agent's thread stops (Agrona's runner rethrows it)
     * @param nanoClock times the 10 s between lines
     */
    AgentErrorLog(String agent, BiConsumer<String, Throwable> sink, BiConsumer<String, Throwable> onDeath,
            LongSupplier nanoClock) {
        this.agent = agent;
        this.sink = sink;
        this.onDeath = onDeath;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onError(Throwable error) {
        if (error instanceof Error) {
            sink.accept(agent + " stops: " + error + "; the runtime makes no progress until it is restarted", error);
            onDeath.accept(agent, error);
            return;
        }
        long now = nanoClock.getAsLong();
        if (!loggedAny) {
            sink.accept(agent + ": unexpected error; it goes on with its next cycle (repeats: one line per 10 s)",
                    error);
        } else if (now - loggedAt >= QUIET_NANOS) {
            sink.accept(agent + ": " + (unlogged + 1) + " unexpected errors in the last "
                    + (now - loggedAt) / 1_000_000_000L + " s; the latest", error);
        } else {
            unlogged++;
            return;
        }
        loggedAny = true;
        loggedAt = now;
        unlogged = 0;
    }
}
