package io.stator.runtime.internal;

import io.stator.runtime.EgressSink;
import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.PartitionSnapshotCodec;
import io.stator.runtime.snapshot.SnapshotManifest;
import io.stator.runtime.snapshot.SnapshotStatus;
import io.stator.state.SnapshotHandle;
import io.stator.state.SnapshotResult;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes asynchronous barrier snapshots. Every interval, start to start (or on request, or early once output went
 * quiet: {@link #snapshotWhenQuiet}), it starts snapshot
 * {@code n} by a barrier in every partition's inbox; each partition records its part without waiting for anyone
 * (see {@code Partition} and {@link ChannelRecorder}) and reports it here. When every partition has reported and every state checkpoint
 * has reached the snapshot store, the coordinator writes the partitions' metadata and then the manifest (the
 * snapshot exists once its manifest does), commits egress epoch {@code n - 1}, and applies retention. One
 * snapshot at a time: the next starts only after this one completed or failed, so partitions are never more
 * than one epoch apart.
 *
 * <p>A failed snapshot (a full disk, a RocksDB error) commits nothing; the next one tries again, and its commit
 * covers the epochs in between.
 */
public final class SnapshotCoordinator implements Agent, SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCoordinator.class);
    /** Where a partition's metadata goes in the snapshot store. */
    public static final String META_FORMAT = "runtime/partition-%d.meta";

    /** The longest the coordinator's thread parks without a wake-up: a safety net, and how long a close may wait. */
    private static final long MAX_PARK_NANOS = 20_000_000L;
    /** How often a barrier is offered again to a full inbox. */
    private static final long BARRIER_RETRY_NANOS = 1_000_000L;
    /** The least time a snapshot may run, or be held back, before the coordinator warns that it is overdue. */
    private static final long OVERDUE_NANOS = 10_000_000_000L;

    private record Report(PartitionSnapshot snapshot, SnapshotHandle upload, long pauseNanos) {
    }

    private record Request(CompletableFuture<Long> done, boolean checkpoint) {
    }

    private final ManyToOneRingBuffer[] inboxes;
    private final EgressSink egress;
    private final SnapshotStore store;
    private final long intervalNanos;
    private final int retained;
    private final int maxParallelism;
    private final LongConsumer releaseIngressBefore;
    private final String ingressLogId;
    private final LongSupplier nanoClock;
    private final ManyToOneConcurrentLinkedQueue<Report> reports = new ManyToOneConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Long>> waiting = new ArrayList<>();
    private final boolean[] delivered;
    private final Report[] received;
    private final TreeMap<Long, Long> ingressFloorBySnapshot = new TreeMap<>();

    private long current;
    private boolean inProgress;
    private int reported;
    private boolean failed;
    private String failure;
    private long startedAtNanos;
    private long nextSnapshotAt;
    private volatile SnapshotStatus status = SnapshotStatus.NONE;
    /** The snapshot whose state parts should be checkpoints, not changelogs; written before its barriers. */
    private volatile long checkpointSnapshotId = -1;
    /** Per partition, the backlog files its snapshots need. */
    private final BacklogChain[] backlogs;
    /** Per partition, the snapshot that should list its whole remote backlog again; set before its barriers. */
    private final AtomicLongArray fullBacklogAt;
    /** Per partition, the timer files its snapshots need. */
    private final TimerChain[] timerChains;
    /** Per partition, the snapshot that should list every pending timer again; set before its barriers. */
    private final AtomicLongArray allTimersAt;
    private long lastInfoLogNanos;
    /** Snapshots that failed since the last one completed; while they keep failing, a warning per 10 s. */
    private int failedInARow;
    /** Wakes a parked partition whose inbox a barrier went into. */
    private volatile PartitionWakeups wakeups;
    private long failingSinceNanos;
    private long failureWarnedAtNanos;
    /** Egress records emitted so far (partitions' counters, read racily), or null: no snapshot when quiet. */
    private LongSupplier emitted;
    /** How long output must be still before a snapshot starts early; 0: never early. */
    private long quietNanos;
    /** The least time from a snapshot's start to an early one's. */
    private long quietGapNanos;
    /** {@link #emitted} when the last snapshot started: output since then is not committed yet. */
    private long emittedAtStart;
    private long lastEmitted;
    private long emittedChangedAt;
    /** When output was first seen still for the quiet period since it last moved, or -1. */
    private long quietSeenAt = -1;
    /** The thread running this agent, once started by an {@code AgentRunner}; null when invoked by hand. */
    private volatile Thread thread;
    /** Whether a partition's state store is still writing the last snapshot's entries. */
    private IntPredicate stateWriting = partition -> false;
    /**
     * When the due snapshot was first held back for {@link #stateWriting}, or -1 if none is: while one is, the thread
     * looks again within a millisecond.
     */
    private long heldSince = -1;
    /** How long the running snapshot was held back before it started. */
    private long heldNanos;
    /** How long a snapshot may run, or be held back, before a warning says what it waits for; and how often. */
    private final long overdueNanos;
    /** When the running or held snapshot is next warned about as overdue. */
    private long nextOverdueWarningAt;
    /** Where overdue warnings go (tests read them). */
    private Consumer<String> warnings = LOG::warn;

    /**
     * @param startEpoch           the epoch partitions start in; the first snapshot is {@code startEpoch + 1}
     * @param store                where snapshots go, or null: then snapshots only commit epochs
     * @param retained             complete snapshots to keep
     * @param releaseIngressBefore told the oldest ingress position a retained snapshot needs (may be null)
     * @param ingressLogId         the identity of the ingress log, recorded in manifests (may be null)
     */
    public SnapshotCoordinator(ManyToOneRingBuffer[] inboxes, EgressSink egress, SnapshotStore store,
            long intervalMillis, long startEpoch, int retained, int maxParallelism, LongConsumer releaseIngressBefore,
            String ingressLogId) {
        this(inboxes, egress, store, intervalMillis, startEpoch, retained, maxParallelism, releaseIngressBefore,
                ingressLogId, System::nanoTime);
    }

    /** As the public constructor, with the monotonic clock that times the interval (tests move it by hand). */
    SnapshotCoordinator(ManyToOneRingBuffer[] inboxes, EgressSink egress, SnapshotStore store, long intervalMillis,
            long startEpoch, int retained, int maxParallelism, LongConsumer releaseIngressBefore, String ingressLogId,
            LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.ingressLogId = ingressLogId == null ? "" : ingressLogId;
        this.inboxes = inboxes;
        this.egress = egress;
        this.store = store;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.retained = retained;
        this.maxParallelism = maxParallelism;
        this.releaseIngressBefore = releaseIngressBefore;
        this.delivered = new boolean[inboxes.length];
        this.received = new Report[inboxes.length];
        this.current = startEpoch;
        this.backlogs = new BacklogChain[inboxes.length];
        this.fullBacklogAt = new AtomicLongArray(inboxes.length);
        this.wakeups = new PartitionWakeups(inboxes.length); // nobody registered: wakes nobody
        this.timerChains = new TimerChain[inboxes.length];
        this.allTimersAt = new AtomicLongArray(inboxes.length);
        for (int p = 0; p < inboxes.length; p++) {
            backlogs[p] = new BacklogChain(p);
            fullBacklogAt.set(p, -1);
            timerChains[p] = new TimerChain(p);
            allTimersAt.set(p, -1); // a partition lists every timer at its first snapshot anyway
        }
        this.nextSnapshotAt = nanoClock.getAsLong() + intervalNanos;
        this.overdueNanos = Math.max(OVERDUE_NANOS, intervalNanos);
    }

    @Override
    public String roleName() {
        return "stator-snapshot-coordinator";
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    /**
     * The idle strategy for this coordinator's own thread. Instead of polling, it parks until the next snapshot is
     * due, or until a partition's report, a finished state upload or a snapshot request wakes it: a snapshot then
     * commits as soon as its last upload is done (a 1 ms poll noticed it up to a millisecond late, on the path of
     * every exactly-once record), and an idle runtime's coordinator no longer wakes a thousand times a second.
     */
    public IdleStrategy idleStrategy() {
        return new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                if (workCount <= 0) {
                    idle();
                }
            }

            @Override
            public void idle() {
                LockSupport.parkNanos(parkNanos());
            }

            @Override
            public void reset() {
            }
        };
    }

    /** On the coordinator's thread: how long nothing can happen that no wake-up announces. */
    private long parkNanos() {
        if (inProgress) {
            for (boolean d : delivered) {
                if (!d) {
                    return BARRIER_RETRY_NANOS; // a full inbox frees no wake-up
                }
            }
            return MAX_PARK_NANOS;
        }
        if (heldSince >= 0) {
            return BARRIER_RETRY_NANOS; // the state writers announce nothing
        }
        if (intervalNanos <= 0) {
            return MAX_PARK_NANOS;
        }
        long park = Math.min(MAX_PARK_NANOS, nextSnapshotAt - nanoClock.getAsLong());
        if (quietNanos > 0 && lastEmitted != emittedAtStart) {
            park = Math.min(park, quietNanos / 2); // output is waiting: look again within half the quiet period
        }
        return Math.max(1_000L, park);
    }

    /** Any thread: ends the coordinator thread's park, or makes its next one return at once. */
    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public int doWork() {
        int work = deliverBarriers();
        work += drainReports();
        if (inProgress && reported == inboxes.length && uploadsDone()) {
            finish();
            work++;
        }
        boolean due = !inProgress && (!requests.isEmpty()
                || (intervalNanos > 0 && nanoClock.getAsLong() >= nextSnapshotAt) || outputWentQuiet());
        if (!due) {
            heldSince = -1; // an early snapshot held back and then no longer due (output moved again) was not held
        } else if (stateStillWriting()) {
            if (heldSince < 0) {
                heldSince = nanoClock.getAsLong();
                nextOverdueWarningAt = heldSince + overdueNanos;
            }
        } else {
            start();
            work++;
        }
        warnIfOverdue();
        return work;
    }

    private boolean stateStillWriting() {
        for (int p = 0; p < inboxes.length; p++) {
            if (stateWriting.test(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A snapshot that runs, or is held back, for longer than {@link #overdueNanos} commits no output meanwhile: say
     * what it waits for (a partition that does not take its part, a state upload, a state writer: a stalled disk,
     * say), once per that period. Every snapshot's completion is logged too, with "(slow)" past two seconds.
     */
    private void warnIfOverdue() {
        if (!inProgress && heldSince < 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - nextOverdueWarningAt < 0) {
            return;
        }
        nextOverdueWarningAt = now + overdueNanos;
        StringBuilder waits = new StringBuilder();
        if (inProgress) {
            for (int p = 0; p < inboxes.length; p++) {
                if (!delivered[p]) {
                    waits.append("; partition ").append(p).append("'s inbox is full: its barrier is not in yet");
                } else if (received[p] == null) {
                    waits.append("; partition ").append(p).append(" has not taken its part yet");
                } else if (received[p].upload() != null && !received[p].upload().completion().isDone()) {
                    waits.append("; partition ").append(p).append("'s state is still being stored");
                }
            }
            warnings.accept(String.format("snapshot %d has run for %.1f s and commits no output until it completes%s",
                    current, (now - startedAtNanos) / 1e9, waits));
        } else {
            for (int p = 0; p < inboxes.length; p++) {
                if (stateWriting.test(p)) {
                    waits.append("; partition ").append(p).append("'s state store is still writing snapshot ")
                            .append(current).append("'s entries");
                }
            }
            warnings.accept(String.format("snapshot %d is due and has been held back for %.1f s, committing no output%s",
                    current + 1, (now - heldSince) / 1e9, waits));
        }
    }

    /** Wakes partitions parked in these when a barrier goes into their inbox. Before the coordinator starts. */
    public void wakeWith(PartitionWakeups partitionWakeups) {
        this.wakeups = Objects.requireNonNull(partitionWakeups, "partitionWakeups");
    }

    /** Sends the overdue and failure warnings to {@code sink} instead of the log (tests). */
    void warnTo(Consumer<String> sink) {
        this.warnings = Objects.requireNonNull(sink, "sink");
    }

    /** @return whether output emitted since the last snapshot started has been still for the quiet period */
    private boolean outputWentQuiet() {
        if (quietNanos <= 0 || intervalNanos <= 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        long e = emitted.getAsLong();
        if (e != lastEmitted) {
            lastEmitted = e;
            emittedChangedAt = now;
            quietSeenAt = -1;
            return false;
        }
        if (e == emittedAtStart || now - emittedChangedAt < quietNanos || now - startedAtNanos < quietGapNanos) {
            return false;
        }
        // Still once is not enough: a pause of the whole process (a GC, say) stops this thread too, and it would
        // wake to counters the partitions have not moved yet. Output still at a second look is.
        if (quietSeenAt < 0) {
            quietSeenAt = now;
            return false;
        }
        return now - quietSeenAt >= quietNanos / 2;
    }

    /**
     * Asks for a snapshot as soon as possible (the current one, if one is running, does not count).
     *
     * @return completes with the snapshot's id once it is complete, or exceptionally if it failed
     */
    public CompletableFuture<Long> requestSnapshot() {
        return requestSnapshot(false);
    }

    /**
     * As {@link #requestSnapshot()}; if {@code checkpoint}, every partition's state part is a checkpoint of its own
     * (no changelog to replay on restore): for the last snapshot before a stop and for savepoints.
     */
    public CompletableFuture<Long> requestSnapshot(boolean checkpoint) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        requests.add(new Request(f, checkpoint));
        wake();
        return f;
    }

    /**
     * Also starts a snapshot early once egress output has been still for {@code quietMillis} (and is still at a
     * second look, half that later), if some was emitted since the last snapshot started and a quarter interval
     * (at least {@code quietMillis}) has passed since: the last records of a burst then commit within tens of
     * milliseconds instead of at the next interval, while a steady stream of output (never still that long) keeps
     * the interval. Call before the coordinator runs.
     *
     * @param emitted     how many egress records have been emitted so far (may be read racily)
     * @param quietMillis how long output must be still; 0 turns early snapshots off
     */
    public void snapshotWhenQuiet(LongSupplier emitted, long quietMillis) {
        if (quietMillis < 0) {
            throw new IllegalArgumentException("quietMillis must not be negative, was " + quietMillis);
        }
        this.emitted = emitted;
        this.quietNanos = quietMillis * 1_000_000L;
        this.quietGapNanos = Math.max(quietNanos, intervalNanos / 4);
        this.emittedAtStart = emitted.getAsLong();
        this.lastEmitted = emittedAtStart;
    }

    /**
     * Holds a due snapshot back while {@code writing} says some partition's state store is still writing the last
     * snapshot's entries. A barrier would stop that partition until its writer is done (a stall, which at 1M keys
     * took up to 256 ms here; benchmarks/RESULTS.md, "Session 17"); held here, the partition goes on processing. The
     * snapshot starts once the writers are done, about when it would have got going anyway: each store writes one
     * snapshot at a time. Call before the coordinator runs.
     *
     * @param writing whether a partition's state (by partition index) is still being written; read on the
     *                coordinator's thread
     */
    public void startOnceStateIsWritten(IntPredicate writing) {
        this.stateWriting = Objects.requireNonNull(writing, "writing");
    }

    @Override
    public boolean wantsCheckpoint(long snapshotId) {
        return snapshotId == checkpointSnapshotId;
    }

    /**
     * Asks for the whole backlog after a failed snapshot (its files are not in the chain), when the partition's
     * chain of files grew long, and for checkpoints (a savepoint then needs no earlier file). Without a store
     * nothing is written, so never.
     */
    @Override
    public boolean wantsFullBacklog(int partition, long snapshotId) {
        return store != null && (snapshotId == checkpointSnapshotId || fullBacklogAt.get(partition) == snapshotId);
    }

    /**
     * Continues partition {@code partition}'s chain of timer files from restored snapshot {@code snapshotId}, which
     * this coordinator's store holds, for a partition that kept its restored timers' ids. Call before the
     * coordinator runs.
     */
    public void resumeTimers(int partition, long snapshotId, PartitionSnapshot.TimerLog restored) {
        timerChains[partition].resume(snapshotId, restored);
    }

    /**
     * Starts partition {@code partition}'s chain of timer files from the timers a restore numbered anew (a rescale,
     * a savepoint folder): its first snapshot's file holds them with the changes since, so the partition need not
     * list them. Call before the coordinator runs.
     */
    public void startTimersFrom(int partition, List<PartitionSnapshot.Timer> restored) {
        if (store != null) {
            timerChains[partition].startFrom(restored);
        }
    }

    /**
     * Asks for every pending timer after a failed snapshot (its timer files are not in the chain) and when the
     * partition's chain of files grew long or holds mostly timers long gone. Without a store nothing is written,
     * so never.
     */
    @Override
    public boolean wantsAllTimers(int partition, long snapshotId) {
        return store != null && allTimersAt.get(partition) == snapshotId;
    }

    /** @return the last completed snapshot, its duration, size and pause; any thread */
    public SnapshotStatus status() {
        return status;
    }

    /** @return the last epoch whose output is committed */
    public long committedEpoch() {
        return status.committedEpoch();
    }

    @Override
    public void onPartitionSnapshot(PartitionSnapshot snapshot, SnapshotHandle upload, long pauseNanos) {
        reports.offer(new Report(snapshot, upload, pauseNanos));
        wake();
    }

    private void start() {
        current++;
        inProgress = true;
        reported = 0;
        failed = false;
        failure = null;
        java.util.Arrays.fill(delivered, false);
        java.util.Arrays.fill(received, null);
        startedAtNanos = nanoClock.getAsLong();
        heldNanos = heldSince < 0 ? 0 : startedAtNanos - heldSince;
        heldSince = -1;
        nextOverdueWarningAt = startedAtNanos + overdueNanos;
        if (quietNanos > 0) {
            emittedAtStart = emitted.getAsLong(); // read before the barriers: a record counted here may still be
            lastEmitted = emittedAtStart;         // in the next epoch, which costs at most one early snapshot more
            emittedChangedAt = startedAtNanos;
            quietSeenAt = -1;
        }
        // Fixed rate: snapshots start an interval apart (output commits every interval, not every interval plus
        // a snapshot's duration); one that overran is followed at once by the next.
        nextSnapshotAt = startedAtNanos + intervalNanos;
        Request r;
        while ((r = requests.poll()) != null) {
            waiting.add(r.done());
            if (r.checkpoint()) {
                checkpointSnapshotId = current; // before the barriers, which publish it to the partitions
            }
        }
        deliverBarriers();
    }

    private int drainReports() {
        int n = 0;
        Report r;
        while ((r = reports.poll()) != null) {
            n++;
            PartitionSnapshot s = r.snapshot();
            if (!inProgress || s.snapshotId() != current || received[s.partition()] != null) {
                LOG.error("unexpected report of snapshot {} from partition {} (current {})", s.snapshotId(),
                        s.partition(), current);
                continue;
            }
            received[s.partition()] = r;
            reported++;
            if (r.upload() != null) {
                r.upload().completion().whenComplete((result, error) -> wake());
            }
            if (store != null && !failed) {
                String path = String.format(META_FORMAT, s.partition());
                try {
                    PartitionSnapshot.Backlog backlog = backlogs[s.partition()].store(store, current, s.backlog());
                    PartitionSnapshot.TimerLog timers = timerChains[s.partition()].store(store, current, s.timers());
                    store.write(current, path,
                            PartitionSnapshotCodec.encoding(s.withBacklog(backlog).withTimers(timers)));
                } catch (IOException | RuntimeException e) {
                    fail("cannot write " + path + " of snapshot " + current + " or its backlog or timers: "
                            + e.getMessage());
                }
            }
        }
        return n;
    }

    private boolean uploadsDone() {
        for (Report r : received) {
            if (r.upload() != null && !r.upload().completion().isDone()) {
                return false;
            }
        }
        return true;
    }

    private void finish() {
        long bytes = 0;
        long pauseNanos = 0;
        long ingressFloor = Long.MAX_VALUE;
        for (Report r : received) {
            pauseNanos = Math.max(pauseNanos, r.pauseNanos());
            if (r.upload() != null) {
                if (r.upload().completion().isCompletedExceptionally()) {
                    fail("state of partition " + r.snapshot().partition() + ": " + causeOf(r.upload().completion()));
                } else {
                    SnapshotResult result = r.upload().completion().join();
                    bytes += result.bytes();
                }
            }
            if (r.snapshot().ingressPosition() >= 0) {
                ingressFloor = Math.min(ingressFloor, r.snapshot().ingressPosition());
            }
        }
        if (!failed && store != null) {
            try {
                SnapshotManifest.write(store, new SnapshotManifest(current, inboxes.length, maxParallelism,
                        System.currentTimeMillis(), ingressLogId));
            } catch (IOException | RuntimeException e) {
                fail("cannot write the manifest of snapshot " + current + ": " + e.getMessage());
            }
        }
        inProgress = false;
        long durationNanos = nanoClock.getAsLong() - startedAtNanos;
        if (failed) {
            warnFailure(current, failure);
            for (int p = 0; p < backlogs.length; p++) {
                fullBacklogAt.set(p, current + 1); // this one's backlog and timer files are not in any chain
                allTimersAt.set(p, current + 1);
            }
            status = status.withFailure(current, failure);
            for (CompletableFuture<Long> f : waiting) {
                f.completeExceptionally(new IllegalStateException("snapshot " + current + " failed: " + failure));
            }
            waiting.clear();
            return;
        }
        for (int p = 0; p < backlogs.length; p++) {
            backlogs[p].completed(current);
            boolean full = backlogs[p].wantsFull(received[p].snapshot().backlog().held());
            fullBacklogAt.set(p, full ? current + 1 : -1);
            timerChains[p].completed(current);
            boolean allTimers = timerChains[p].wantsFull(received[p].snapshot().timers().live());
            allTimersAt.set(p, allTimers ? current + 1 : -1);
        }
        egress.commit(current - 1);
        if (failedInARow > 0) {
            LOG.info("snapshot {} complete, after {} failed in a row over {} s", current, failedInARow,
                    String.format("%.1f", (nanoClock.getAsLong() - failingSinceNanos) / 1e9));
            failedInARow = 0;
        }
        status = status.withCompleted(current, current - 1, durationNanos, bytes, pauseNanos,
                System.currentTimeMillis(), heldNanos);
        long now = nanoClock.getAsLong();
        boolean slow = durationNanos > 2_000_000_000L;
        if (lastInfoLogNanos == 0 || slow || now - lastInfoLogNanos >= 60_000_000_000L) {
            lastInfoLogNanos = now; // one line a minute (and every slow one), not one a second
            LOG.info("snapshot {} complete in {} ms: {} bytes, longest partition pause {} us{}{}", current,
                    durationNanos / 1_000_000, bytes, pauseNanos / 1000, held(), slow ? " (slow)" : "");
        } else {
            LOG.debug("snapshot {} complete in {} ms, {} bytes, longest partition pause {} us{}", current,
                    durationNanos / 1_000_000, bytes, pauseNanos / 1000, held());
        }
        if (ingressFloor != Long.MAX_VALUE) {
            ingressFloorBySnapshot.put(current, ingressFloor);
        }
        applyRetention();
        for (CompletableFuture<Long> f : waiting) {
            f.complete(current);
        }
        waiting.clear();
    }

    /** @return for the log line: how long the running snapshot was held back for the state writers, if it was */
    private String held() {
        return heldNanos == 0 ? "" : ", held back " + heldNanos / 1_000_000 + " ms for a state writer";
    }

    private void applyRetention() {
        if (store == null) {
            return;
        }
        try {
            List<Long> complete = new ArrayList<>();
            List<Long> ids = store.snapshotIds();
            for (long id : ids) {
                if (SnapshotManifest.exists(store, id)) {
                    complete.add(id);
                }
            }
            if (complete.size() <= retained) {
                return;
            }
            long oldestKept = complete.get(complete.size() - retained);
            for (long id : ids) {
                if (id < oldestKept) {
                    store.delete(id); // older complete snapshots, and partial ones left by a crash
                }
            }
            ingressFloorBySnapshot.headMap(oldestKept).clear();
            if (releaseIngressBefore != null && ingressFloorBySnapshot.containsKey(oldestKept)) {
                releaseIngressBefore.accept(ingressFloorBySnapshot.get(oldestKept));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot retention failed: {}", e.toString());
        }
    }

    /**
     * The first failure after a completed snapshot is a warning; while snapshots keep failing (a full disk under
     * the snapshot store fails one a second), one more every 10 s with how many, and the rest at debug level.
     */
    private void warnFailure(long id, String why) {
        long now = nanoClock.getAsLong();
        if (failedInARow++ == 0) {
            failingSinceNanos = now;
            failureWarnedAtNanos = now;
            warnings.accept("snapshot " + id + " failed: " + why + "; the next one will try again");
        } else if (now - failureWarnedAtNanos >= OVERDUE_NANOS) {
            failureWarnedAtNanos = now;
            warnings.accept(String.format("%d snapshots failed in a row over %.1f s, committing no output; the"
                    + " latest, %d: %s", failedInARow, (now - failingSinceNanos) / 1e9, id, why));
        } else {
            LOG.debug("snapshot {} failed: {}", id, why);
        }
    }

    private void fail(String why) {
        if (!failed) {
            failed = true;
            failure = why;
        }
    }

    private int deliverBarriers() {
        if (!inProgress) {
            return 0;
        }
        int work = 0;
        for (int p = 0; p < inboxes.length; p++) {
            if (delivered[p]) {
                continue;
            }
            int index = inboxes[p].tryClaim(EnvelopeDescriptor.MSG_TYPE_BARRIER, EnvelopeDescriptor.BARRIER_LENGTH);
            if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
                continue; // the inbox is full; try again next cycle
            }
            inboxes[p].buffer().putLong(index, current, ByteOrder.LITTLE_ENDIAN);
            inboxes[p].commit(index);
            wakeups.wake(p);
            delivered[p] = true;
            work++;
        }
        return work;
    }

    private static String causeOf(CompletableFuture<?> f) {
        try {
            f.join();
            return "unknown";
        } catch (Exception e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
    }

    /** @return whether a snapshot is being taken (for a clean stop that waits for one) */
    public boolean inProgress() {
        return inProgress;
    }
}
