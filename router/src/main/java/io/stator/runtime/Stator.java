package io.stator.runtime;

import io.stator.runtime.internal.SnapshotCoordinator;
import io.stator.runtime.snapshot.RestoredSnapshot;
import io.stator.runtime.snapshot.SnapshotStatus;
import io.stator.runtime.internal.CompositeIngress;
import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.IngressLogSource;
import io.stator.runtime.internal.IngressSource;
import io.stator.state.KeyGroupRange;
import io.stator.runtime.internal.Partition;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.runtime.internal.QueueIngress;
import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import io.stator.state.KeyedStateStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Stator runtime: P partitions, each a single-threaded mailbox loop owning a range of key groups,
 * their state and their functions. Start one with {@link #builder()}; send it messages with {@link #send};
 * stop it with {@link #close()}.
 *
 * <pre>{@code
 * try (Stator stator = Stator.builder().withFunction(Greeter.SPEC).start()) {
 *     stator.send(MessageBuilder.forAddress(Greeter.TYPE, "alice").withValue("hi").build());
 * }
 * }</pre>
 */
public final class Stator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Stator.class);

    private final StatorConfig config;
    private final Partition[] partitions;
    private final QueueIngress[] ingress;
    private final SnapshotCoordinator coordinator;
    private final List<AgentRunner> runners = new ArrayList<>();
    private AgentRunner coordinatorRunner;
    /** The partitions' idle strategies, for whoever gives them work. */
    private final io.stator.runtime.internal.PartitionWakeups wakeups;
    /** An ingress append wakes the partition of its key group if it is parked; a batch's, every parked one. */
    private final io.stator.ingress.IngressLog.AppendListener wakeIngressReaders = this::wakeForIngress;
    private final okhttp3.OkHttpClient httpClient;
    private final java.util.concurrent.ScheduledExecutorService retryScheduler;
    private volatile boolean closed;
    /** The role name of a runtime thread that died of an {@link Error}, or null: no snapshot can complete then. */
    private volatile String deadThread;

    private Stator(StatorConfig config) {
        this.config = config;
        int p = config.partitions();
        ManyToOneRingBuffer[] inboxes = new ManyToOneRingBuffer[p];
        for (int i = 0; i < p; i++) {
            inboxes[i] = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(config.inboxBufferSize())));
        }
        io.stator.runtime.internal.LargeMessages large = new io.stator.runtime.internal.LargeMessages(p);
        this.partitions = new Partition[p];
        this.ingress = new QueueIngress[p];
        Map<TypeName, StatefulFunctionSpec> functions = Map.copyOf(config.functions());
        io.stator.ingress.IngressLog ingressLog = config.ingressLog();
        this.coordinator = new SnapshotCoordinator(inboxes, config.egress(), config.snapshotStore(),
                config.snapshotIntervalMillis(), config.startEpoch(), config.retainedSnapshots(),
                config.maxParallelism(), ingressLog == null ? null : position -> ingressLog.releaseBefore(position),
                config.ingressLogId());
        RestoredSnapshot restored = config.restoreFrom();
        long[] ingressStart = restored == null ? null : restored.ingressStartByKeyGroup();
        // Always made, even with no endpoint yet: the admin API may register one while the runtime runs. OkHttp
        // starts its threads only on the first call.
        httpClient = io.stator.remote.client.RemoteHttpClients.create(config.maxConcurrentRemoteCalls());
        retryScheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stator-remote-retries");
            t.setDaemon(true);
            return t;
        });
        io.stator.remote.client.RemoteEndpointRegistry endpoints = config.remoteEndpointRegistry();
        this.wakeups = new io.stator.runtime.internal.PartitionWakeups(p);
        for (int i = 0; i < p; i++) {
            int partition = i;
            Partition.RemoteDispatcherFactory remotes = (state, effects) -> new io.stator.remote.client.RemoteDispatcher(
                    endpoints, httpClient, state, effects,
                    io.stator.remote.client.RemoteDispatcherConfig.defaults().retryScheduler(retryScheduler)
                            // Each partition gets its share of the client's call limit, so no request ever waits,
                            // already built, in OkHttp's queue while its address gathers more messages.
                            .maxConcurrentCalls(Math.max(1, config.maxConcurrentRemoteCalls() / p))
                            .maxQueuedInvocations(config.maxQueuedRemoteInvocations() / p)
                            .onCompletion(() -> wakeups.wake(partition))); // a reply for a parked partition
            ingress[i] = new QueueIngress(config.ingressQueueCapacity());
            KeyedStateStore store = config.stateBackend()
                    .openPartition(i, KeyGroups.rangeFor(i, p, config.maxParallelism()));
            IngressSource source = ingress[i];
            if (ingressLog != null) {
                KeyGroupRange range = KeyGroups.rangeFor(i, p, config.maxParallelism());
                long start = io.stator.ingress.IngressLog.START;
                if (ingressStart != null) {
                    start = Long.MAX_VALUE;
                    for (int kg = range.first(); kg <= range.last(); kg++) {
                        start = Math.min(start, ingressStart[kg]);
                    }
                    start = start == Long.MAX_VALUE ? io.stator.ingress.IngressLog.START : start;
                }
                source = new CompositeIngress(ingress[i],
                        new IngressLogSource(ingressLog.newReader(range::contains, start), ingressStart,
                                range.contains(0)));
            }
            partitions[i] = new Partition(i, config.maxParallelism(), inboxes, large, source, store,
                    config.egress().forPartition(i), config.clock(), functions, config.startEpoch(), coordinator,
                    config.snapshotStore() != null, remotes);
            if (restored != null) {
                io.stator.runtime.snapshot.PartitionSnapshot.TimerLog chain = restored.timerChainFor(i, p);
                List<io.stator.runtime.snapshot.PartitionSnapshot.Timer> timers =
                        partitions[i].restore(restored.replayFor(i, p), restored.timersFor(i, p), chain != null);
                if (chain != null) {
                    coordinator.resumeTimers(i, restored.id(), chain);
                } else {
                    coordinator.startTimersFrom(i, timers);
                }
            }
        }
        Partition[] all = partitions;
        coordinator.startOnceStateIsWritten(i -> {
            io.stator.state.StateMetrics state = all[i].stateMetrics();
            return state != null && state.snapshotWriting();
        });
        if (config.snapshotQuietMillis() > 0) {
            coordinator.snapshotWhenQuiet(() -> {
                long emitted = 0;
                for (Partition partition : all) { // dead letters are egress records, committed the same way
                    emitted += partition.counters().egressOut() + partition.counters().deadLettered();
                }
                return emitted;
            }, config.snapshotQuietMillis());
        }
    }

    private void wakeForIngress(int keyGroup) {
        if (keyGroup == io.stator.ingress.IngressLog.AppendListener.ANY_KEY_GROUP
                || keyGroup >= config.maxParallelism()) { // a key group no partition owns: not this runtime's guess
            wakeups.wakeAll();
        } else {
            wakeups.wake(KeyGroups.partitionFor(keyGroup, partitions.length, config.maxParallelism()));
        }
    }

    /** @return a configuration to fill in and {@link StatorConfig#start() start} */
    public static StatorConfig builder() {
        return new StatorConfig();
    }

    static Stator start(StatorConfig config) {
        Stator stator = new Stator(config);
        if (config.threadingMode() == ThreadingMode.DEDICATED) {
            for (Partition partition : stator.partitions) {
                org.agrona.concurrent.IdleStrategy idle = config.idleStrategy().get();
                if (idle instanceof io.stator.runtime.internal.PartitionIdle wakeable) {
                    stator.wakeups.register(partition.id(), wakeable);
                }
                partition.wakeWith(stator.wakeups);
                AgentRunner runner = new AgentRunner(idle, new AgentErrorLog(
                        partition.roleName(), LOG::error, stator::threadDied, System::nanoTime), null, partition);
                AgentRunner.startOnThread(runner);
                stator.runners.add(runner);
            }
            stator.coordinator.wakeWith(stator.wakeups);
            if (stator.config.ingressLog() != null) {
                stator.config.ingressLog().addAppendListener(stator.wakeIngressReaders);
            }
            stator.coordinatorRunner = new AgentRunner(stator.coordinator.idleStrategy(),
                    new AgentErrorLog(stator.coordinator.roleName(), LOG::error, stator::threadDied,
                            System::nanoTime), null, stator.coordinator);
            AgentRunner.startOnThread(stator.coordinatorRunner);
        }
        LOG.info("Stator started: {} partitions, {} key groups, functions {}", config.partitions(),
                config.maxParallelism(), config.functions().keySet());
        return stator;
    }

    /**
     * Sends a message into the runtime. With a durable ingress log the message is appended to it (durable when
     * this returns, and replayed after a crash); otherwise it goes to the target partition's in-process queue,
     * waiting while that partition is backpressured.
     *
     * @throws IllegalArgumentException if no function type of the target's type is known
     * @throws IllegalStateException    if the runtime is closed
     */
    public void send(Message message) {
        Envelope e = toEnvelope(message);
        if (config.ingressLog() != null) {
            config.ingressLog().append(e.keyGroup(), e.targetAddress(), e.valueTypeName(), e.rawValue(), null);
            return;
        }
        int partition = partitionOf(e);
        QueueIngress queue = ingress[partition];
        long parkNanos = 1_000;
        while (!queue.offer(e)) {
            if (closed) {
                throw new IllegalStateException("the runtime is closed");
            }
            if (config.threadingMode() == ThreadingMode.INVOKER) {
                doWork(); // nobody else will drain the queue
            } else {
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, 1_000_000);
            }
        }
        wakeups.wake(partition);
    }

    /**
     * Sends a message if the target partition can take it now (with a durable ingress log: appends it, as
     * {@link #send}).
     *
     * @return false if the target partition is backpressured
     */
    public boolean trySend(Message message) {
        Envelope e = toEnvelope(message);
        if (config.ingressLog() != null) {
            if (isBackpressured()) {
                return false;
            }
            config.ingressLog().append(e.keyGroup(), e.targetAddress(), e.valueTypeName(), e.rawValue(), null);
            return true;
        }
        return ingress[partitionOf(e)].offer(e);
    }

    /**
     * Runs one duty cycle of every partition on the calling thread ({@link ThreadingMode#INVOKER} only).
     *
     * @return the work done; 0 means every partition was idle
     */
    public int doWork() {
        if (config.threadingMode() != ThreadingMode.INVOKER) {
            throw new IllegalStateException("doWork is for ThreadingMode.INVOKER; this runtime runs its own threads");
        }
        int work = 0;
        for (Partition partition : partitions) {
            work += partition.doWork();
        }
        return work + coordinator.doWork();
    }

    /** Runs {@link #doWork()} until every partition is idle ({@link ThreadingMode#INVOKER} only). */
    public void runUntilIdle() {
        for (int i = 0; i < 1_000_000; i++) {
            if (doWork() == 0) {
                return;
            }
        }
        throw new IllegalStateException("the runtime was still busy after 1,000,000 duty cycles");
    }

    /** @return whether any partition has stopped taking new input until its queues drain */
    public boolean isBackpressured() {
        for (Partition p : partitions) {
            if (p.isBackpressuredView()) {
                return true;
            }
        }
        return false;
    }

    /** @return each partition's counters */
    public List<PartitionCounters> counters() {
        List<PartitionCounters> out = new ArrayList<>(partitions.length);
        for (Partition p : partitions) {
            out.add(p.counters());
        }
        return out;
    }

    /** @return the calls every partition has completed since this runtime started (each counter read racily) */
    public long callsCompleted() {
        long done = 0;
        for (Partition p : partitions) {
            done += p.counters().callsCompleted();
        }
        return done;
    }

    /**
     * @return the partitions, for monitoring: their counters and views are safe to read from any thread; never
     *     call their {@code doWork}
     */
    public List<Partition> partitions() {
        return List.of(partitions);
    }

    /** @return the last epoch whose output is committed; -1 before the first (racy read) */
    public long committedEpoch() {
        return coordinator.committedEpoch();
    }

    /** @return the configuration this runtime runs with */
    public StatorConfig config() {
        return config;
    }

    /** @return the key group of {@code address} under this runtime's maxParallelism */
    public int keyGroupOf(Address address) {
        return KeyGroups.keyGroupFor(address, config.maxParallelism());
    }

    /**
     * Stops cleanly: stops taking input, lets the messages in flight finish (up to 10 s), takes a last snapshot
     * (which commits the output and keeps delayed messages not yet due), then stops the partitions and closes
     * state and egress.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (config.ingressLog() != null) {
            config.ingressLog().removeAppendListener(wakeIngressReaders);
        }
        // Each wait gives up at once when no last snapshot can follow (noLastSnapshotBecause).
        drainInProcessQueues(10_000); // accepted by send(): run them before the last snapshot
        drainIngressLog(10_000);
        for (Partition partition : partitions) {
            partition.pauseIngress(true);
        }
        awaitQuiescence(10_000);
        if (coordinatorRunner != null) {
            coordinatorRunner.close();
        }
        String noSnapshot = noLastSnapshotBecause();
        if (noSnapshot == null) {
            noSnapshot = finalSnapshot();
        }
        if (noSnapshot != null) {
            LOG.warn("{}: no last snapshot; the next start resumes from the last one completed", noSnapshot);
            // With snapshots, the next start restores the last one, so nothing more need be written: a partition
            // waiting for the disk returns. Without, the state store's folder is what the next start reads, and a
            // store that can still write is closed as usual.
            boolean restoresSnapshots = config.snapshotStore() != null;
            for (Partition partition : partitions) {
                if (restoresSnapshots || partition.waitingForStateWrites()) {
                    partition.abandonState();
                }
            }
        }
        wakeups.stopAll(); // a partition parked for long would otherwise keep its runner's close waiting
        for (AgentRunner runner : runners) {
            runner.close();
        }
        for (Partition partition : partitions) {
            try {
                partition.close();
            } catch (RuntimeException e) { // a full disk: the others must still be closed
                LOG.warn("closing partition {} failed: {}", partition.id(), e.toString());
            }
        }
        config.stateBackend().close();
        config.egress().close();
        if (httpClient != null) {
            retryScheduler.shutdownNow();
            httpClient.dispatcher().executorService().shutdown();
            httpClient.connectionPool().evictAll();
        }
        LOG.info("Stator stopped");
    }

    /**
     * @return why a stop can take no last snapshot, or null if it can: a thread died, or a partition waits for its
     *     state store to accept writes (a full disk), which it may do for as long as the disk stays full
     */
    private String noLastSnapshotBecause() {
        if (deadThread != null) {
            return deadThread + " died";
        }
        for (Partition partition : partitions) {
            if (partition.waitingForStateWrites()) {
                return "partition " + partition.id() + " waits for RocksDB to accept writes (is the disk full?)";
            }
        }
        return null;
    }

    private void drainInProcessQueues(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (QueueIngress queue : ingress) {
            while (!queue.isEmpty() && System.currentTimeMillis() < deadline && noLastSnapshotBecause() == null) {
                if (config.threadingMode() == ThreadingMode.INVOKER) {
                    for (Partition partition : partitions) {
                        partition.doWork();
                    }
                } else {
                    waitForPartitions();
                }
            }
        }
    }

    /** Lets every partition read the durable ingress log up to where it ended when the stop began. */
    private void drainIngressLog(long timeoutMillis) {
        io.stator.ingress.IngressLog log = config.ingressLog();
        if (log == null) {
            return;
        }
        long end = log.endPosition();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Partition partition : partitions) {
            while (partition.ingressPosition() < end && System.currentTimeMillis() < deadline
                    && noLastSnapshotBecause() == null) {
                if (config.threadingMode() == ThreadingMode.INVOKER) {
                    partition.doWork();
                } else {
                    waitForPartitions();
                }
            }
        }
        if (System.currentTimeMillis() >= deadline) {
            LOG.warn("the ingress log was not read to its end within {} ms of the stop; the rest runs at the next start",
                    timeoutMillis);
        }
    }

    /**
     * Waits until no partition has messages in flight; warns if some still do at the deadline. Gives up at once
     * when no last snapshot can follow ({@link #noLastSnapshotBecause}), since the wait would be for nothing.
     */
    private void awaitQuiescence(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int quietRounds = 0;
        while (System.currentTimeMillis() < deadline && noLastSnapshotBecause() == null) {
            if (config.threadingMode() == ThreadingMode.INVOKER) {
                for (Partition partition : partitions) {
                    partition.doWork();
                }
            } else {
                waitForPartitions();
            }
            boolean quiet = true;
            for (Partition partition : partitions) {
                quiet &= partition.isQuiescent();
            }
            quietRounds = quiet ? quietRounds + 1 : 0;
            if (quietRounds >= 3) { // quiescence is read racily: require it a few times in a row
                return;
            }
        }
        if (noLastSnapshotBecause() == null) {
            LOG.warn("messages were still in flight after {} ms; stopping anyway", timeoutMillis);
        }
    }

    /** Wakes the parked partitions (what a stop waits for may be work they have not looked at) and waits 1 ms. */
    private void waitForPartitions() {
        wakeups.wakeAll();
        LockSupport.parkNanos(1_000_000);
    }

    /** On the dying thread: remembers it (a stop then takes no last snapshot) and tells the configured handler. */
    private void threadDied(String thread, Throwable error) {
        deadThread = thread;
        config.onThreadDeath().accept(thread, error);
    }

    /** @return null once the last snapshot is complete, or why it is not */
    private String finalSnapshot() {
        // A checkpoint, not a changelog: the next start restores it without replaying anything.
        java.util.concurrent.CompletableFuture<Long> done = coordinator.requestSnapshot(true);
        long deadline = System.currentTimeMillis() + 60_000;
        String blocked = null;
        while (!done.isDone() && System.currentTimeMillis() < deadline && (blocked = noLastSnapshotBecause()) == null) {
            if (config.threadingMode() == ThreadingMode.INVOKER) {
                for (Partition partition : partitions) {
                    partition.doWork();
                }
            } else {
                LockSupport.parkNanos(100_000);
            }
            coordinator.doWork();
        }
        if (done.isDone()) {
            return done.isCompletedExceptionally() ? "the last snapshot failed" : null;
        }
        return blocked != null ? blocked : "the last snapshot did not complete within 60 s of the stop";
    }

    /**
     * Takes a snapshot as soon as possible (for savepoints), with a state checkpoint of its own in every partition,
     * so that restoring it replays no changelog.
     *
     * @return completes with the snapshot id once it is complete
     */
    public java.util.concurrent.CompletableFuture<Long> snapshotNow() {
        if (config.threadingMode() == ThreadingMode.INVOKER) {
            throw new IllegalStateException("in INVOKER mode, step the runtime with doWork() and use a snapshot interval");
        }
        return coordinator.requestSnapshot(true);
    }

    /**
     * Reads an embedded function address's declared state on its partition's thread, for debugging.
     *
     * @return per state name its value as text (built-in types) or {@code base64:...}, null when absent
     */
    public java.util.concurrent.CompletableFuture<Map<String, String>> readState(Address address) {
        int partition = KeyGroups.partitionFor(keyGroupOf(address), partitions.length, config.maxParallelism());
        return partitions[partition].readState(address);
    }

    /** @return the last completed snapshot; any thread */
    public SnapshotStatus snapshotStatus() {
        return coordinator.status();
    }

    private Envelope toEnvelope(Message message) {
        if (closed) {
            throw new IllegalStateException("the runtime is closed");
        }
        Address target = message.targetAddress();
        if (!config.knowsFunctionType(target.type())) {
            throw new IllegalArgumentException("no function type " + target.type() + " is known; embedded types: "
                    + config.functions().keySet() + ", remote endpoints: "
                    + config.remoteEndpointRegistry().snapshot().patterns());
        }
        return new Envelope(keyGroupOf(target), target, null, message.valueTypeName(), message.rawValue());
    }

    private int partitionOf(Envelope e) {
        return KeyGroups.partitionFor(e.keyGroup(), partitions.length, config.maxParallelism());
    }
}
