package io.stator.runtime.internal;

import io.stator.remote.client.RemoteDispatcher;
import io.stator.remote.client.RemoteEffects;
import io.stator.remote.client.RemoteStateAccess;
import io.stator.runtime.Clock;
import io.stator.runtime.EgressSink;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.StateLayout;
import io.stator.state.KeyGroupRange;
import io.stator.state.KeyGroups;
import io.stator.state.KeyedStateStore;
import io.stator.state.StateTypeMismatchException;
import java.util.ArrayDeque;
import io.stator.runtime.metrics.FunctionCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition: a single thread that owns a range of key groups, their state, and the calls to the functions
 * at their addresses. It is an Agrona {@link Agent}; nothing else touches its fields except through its inbox
 * ring (mail from other partitions) and its completion queue (finished asynchronous calls).
 *
 * <p>One duty cycle ({@link #doWork()}):
 * <ol>
 *   <li>apply finished asynchronous calls, and run the messages that waited for their address;</li>
 *   <li>read mail from other partitions (bounded batch);</li>
 *   <li>fire delayed messages that are due;</li>
 *   <li>run messages this partition sent to its own key groups (bounded batch);</li>
 *   <li>move envelopes waiting for a full inbox into it;</li>
 *   <li>only if nothing waits (no overflow, short local queue): read new input from the ingress;</li>
 *   <li>write the cycle's egress records to their logs (see {@link EgressSink#flush()}).</li>
 * </ol>
 * Step 6 is the backpressure: a partition that cannot deliver stops taking input, but never stops reading its
 * own inbox, so two partitions flooding each other cannot deadlock.
 */
public final class Partition implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    private static final int BATCH = 256;
    private static final int LOCAL_QUEUE_LIMIT = 4 * BATCH;

    private final int id;
    private final int partitions;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;
    private final ManyToOneRingBuffer inbox;
    private final Outbox outbox;
    /** Envelopes too large for a ring, handed between partitions by reference. */
    private final LargeMessages large;
    private final IngressSource ingress;
    private final KeyedStateStore state;
    private final EgressSink egress;
    private final Clock clock;
    private final Map<TypeName, StatefulFunctionSpec> specs;
    private final HashMap<TypeName, FunctionType> functions = new HashMap<>();
    private final ArrayDeque<Envelope> local = new ArrayDeque<>();
    /** Addresses with an asynchronous call running: the call's message first, then the messages waiting for it. */
    private final HashMap<Address, ArrayDeque<Envelope>> parked = new HashMap<>();
    private final ManyToOneConcurrentLinkedQueue<Invocation> completions = new ManyToOneConcurrentLinkedQueue<>();
    /** Who to wake when this partition gives another work, or another thread gives it some; null: nobody. */
    private volatile PartitionWakeups wakeups;
    /** Work other threads ask this partition to run on its own thread (e.g. a debugging state read). */
    private final ManyToOneConcurrentLinkedQueue<Runnable> tasks = new ManyToOneConcurrentLinkedQueue<>();
    private final DelayedMessages delayed;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final DistinctErrorLog errors = new DistinctErrorLog(LOG);
    private final MessageHandler inboxHandler = this::onInboxRecord;
    private final InputSink dispatcher = new InputSink() {
        @Override
        public void accept(Envelope e) {
            dispatch(e);
        }

        @Override
        public void damaged(long position, byte[] document, int length, RuntimeException error) {
            deadLetterDamagedIngress(position, document, length, error);
        }
    };
    private final Consumer<Envelope> router = this::route;
    private final ChannelRecorder channels;
    private final SnapshotListener snapshots;
    /** This partition's finished part of a snapshot, reported once the egress flush at the end of the cycle worked. */
    private PendingReport pendingReport;
    /** Whether the state backend has a snapshot store, so that snapshots checkpoint state (else they only flush). */
    private final boolean snapshotState;
    private final RemoteDispatcher remote;
    private long epoch;
    private volatile boolean ingressPaused;
    /** {@link #isBackpressured()} as of the last duty cycle, for other threads (e.g. HTTP ingress answering 503). */
    private volatile boolean backpressuredView;
    /** {@link IngressSource#position()} for other threads (metrics, a clean stop waiting for the log to be read). */
    private volatile long publishedIngressPosition;

    private final PartitionCounters counters = new PartitionCounters();
    private final HashMap<TypeName, FunctionCounters> remoteTypeCounters = new HashMap<>();
    /** Every function type's counters, republished (copy on write) when a type is first seen; any thread. */
    private volatile List<FunctionCounters> publishedCounters = List.of();
    private long busyNanos;
    private long maxDutyCycleNanos;

    /**
     * @param id        this partition's index
     * @param inboxes   every partition's inbox, indexed by partition; {@code inboxes[id]} is this one's
     * @param large     the partitions' hand-off of messages too large for an inbox, shared by all of them
     * @param ingress   new input for this partition's key groups
     * @param state     this partition's keyed state
     * @param egress    where egress records go
     * @param specs     the embedded function types, by name (shared, immutable)
     * @param epoch     the epoch to start in
     * @param snapshots told when this partition's part of a snapshot is complete
     * @param snapshotState whether snapshots checkpoint the state store (it has a snapshot store)
     * @param remotes   makes this partition's remote dispatcher from its state and effects; null if no function
     *                  is remote
     */
    public Partition(int id, int maxParallelism, ManyToOneRingBuffer[] inboxes, LargeMessages large,
            IngressSource ingress,
            KeyedStateStore state, EgressSink egress, Clock clock, Map<TypeName, StatefulFunctionSpec> specs,
            long epoch, SnapshotListener snapshots, boolean snapshotState, RemoteDispatcherFactory remotes) {
        this.id = id;
        this.partitions = inboxes.length;
        this.maxParallelism = maxParallelism;
        this.keyGroups = KeyGroups.rangeFor(id, partitions, maxParallelism);
        this.inbox = inboxes[id];
        this.large = large;
        this.outbox = new Outbox(id, inboxes, large, codec);
        this.ingress = ingress;
        this.state = state;
        this.egress = egress;
        this.clock = clock;
        this.specs = specs;
        this.delayed = new DelayedMessages();
        this.epoch = epoch;
        this.snapshots = snapshots;
        // The report waits for the end of the duty cycle: it goes to the coordinator only after a successful egress
        // flush, so no epoch is committed before its records are in the log (a failed write is retried next cycle).
        this.channels = new ChannelRecorder(id, partitions, maxParallelism,
                (snapshot, upload, pauseNanos) -> pendingReport = new PendingReport(snapshot, upload, pauseNanos));
        this.publishedIngressPosition = ingress.position();
        this.snapshotState = snapshotState;
        RemoteBridge bridge = new RemoteBridge(this, state, clock);
        this.remote = remotes == null ? null : remotes.create(bridge, bridge);
    }

    /** A finished part of a snapshot, held until this cycle's egress records are written. */
    private record PendingReport(io.stator.runtime.snapshot.PartitionSnapshot snapshot,
            io.stator.state.SnapshotHandle upload, long pauseNanos) {
    }

    /** Makes a partition's remote dispatcher. */
    @FunctionalInterface
    public interface RemoteDispatcherFactory {
        RemoteDispatcher create(RemoteStateAccess state, RemoteEffects effects);
    }

    @Override
    public String roleName() {
        return "stator-partition-" + id;
    }

    @Override
    public int doWork() {
        long start = System.nanoTime();
        int work = doWorkUntimed();
        if (work > 0) {
            long took = System.nanoTime() - start;
            busyNanos += took;
            if (took > maxDutyCycleNanos) {
                maxDutyCycleNanos = took;
            }
        }
        return work;
    }

    private int doWorkUntimed() {
        int work = runTasks();
        work += drainCompletions();
        if (remote != null) {
            work += drainRemoteCompletions();
        }
        work += inbox.read(inboxHandler, BATCH);
        work += delayed.poll(clock.millis(), router, BATCH);
        work += runLocal();
        work += outbox.flush();
        if (!ingressPaused) {
            work += pollIngress();
            long position = ingress.position(); // skipping other partitions' records moves it too
            if (position != publishedIngressPosition) {
                publishedIngressPosition = position;
            }
        }
        if (wakeups != null) {
            outbox.wakeWritten(wakeups); // the partitions this cycle gave work to, if they are parked
        }
        egress.flush(); // this cycle's egress records, one document per egress log; throws if they cannot be written
        if (pendingReport != null) {
            PendingReport r = pendingReport;
            pendingReport = null;
            snapshots.onPartitionSnapshot(r.snapshot(), r.upload(), r.pauseNanos());
        }
        boolean backpressured = isBackpressured();
        if (backpressured != backpressuredView) {
            backpressuredView = backpressured;
        }
        return work;
    }

    /**
     * Takes new input one message at a time and stops as soon as the partition is backpressured: a single
     * message can fill a remote address's backlog to {@code maxNumBatchRequests}, and the next one must wait.
     */
    private int pollIngress() {
        int n = 0;
        while (n < BATCH && !isBackpressured()) {
            int taken = ingress.poll(dispatcher, 1);
            if (taken == 0) {
                break;
            }
            n += taken;
        }
        return n;
    }

    /** @return whether the partition was backpressured at the end of its last duty cycle; any thread */
    public boolean isBackpressuredView() {
        return backpressuredView;
    }

    /** Stops (or resumes) reading new input; used to drain the runtime before a clean stop. Any thread. */
    public void pauseIngress(boolean paused) {
        this.ingressPaused = paused;
    }

    /**
     * @return whether this partition has nothing left to do: no queued, overflowing or parked work and an empty
     *     inbox (delayed messages not yet due do not count). Read from any thread; a racy answer that a caller
     *     should confirm by asking again.
     */
    public boolean isQuiescent() {
        return local.isEmpty() && !outbox.hasOverflow() && parked.isEmpty() && completions.isEmpty() && inbox.size() == 0
                && (remote == null || !remote.hasInFlight());
    }

    /** @return whether this partition has stopped reading new input until its queues drain */
    public boolean isBackpressured() {
        return outbox.hasOverflow() || local.size() > LOCAL_QUEUE_LIMIT || (remote != null && remote.isBackpressured());
    }

    /** @return the key groups this partition owns */
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    /** @return this partition's counters (read from any thread; values may lag) */
    public PartitionCounters counters() {
        counters.overflow = outbox.overflowSize();
        counters.delayedPending = delayed.size();
        counters.parkedAddresses = parked.size();
        counters.backpressureEvents = outbox.backpressureEvents();
        counters.failedCalls = errors.total();
        return counters;
    }

    /** @return every function type's counters on this partition; any thread */
    public List<FunctionCounters> functionCounters() {
        return publishedCounters;
    }

    private int runTasks() {
        int n = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            n++;
        }
        return n;
    }

    /**
     * Reads the declared state of an embedded function's address, on this partition's thread (for debugging; see
     * {@link StateDebugReader}).
     */
    public CompletableFuture<Map<String, String>> readState(Address address) {
        CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
        tasks.offer(() -> {
            try {
                result.complete(StateDebugReader.read(specs.get(address.type()), address, state, clock.millis(),
                        maxParallelism));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        wakeSelf();
        return result;
    }

    /** @return bytes waiting in this partition's inbox ring; any thread */
    public int inboxBytes() {
        return inbox.size();
    }

    /** @return this partition's state metrics, or null if its store keeps none (in-memory); any thread */
    public io.stator.state.StateMetrics stateMetrics() {
        return state instanceof io.stator.state.SnapshottableStateStore s ? s.metrics() : null;
    }

    /** @return a remote dispatcher counter, 0 without remote functions; any thread (racy) */
    public long remoteCount(io.stator.remote.client.RemoteCounter counter) {
        return remote == null ? 0 : remote.count(counter);
    }

    /** @return the remote dispatcher's counters per remote function type; any thread */
    public java.util.Collection<io.stator.remote.client.RemoteTypeCounters> remoteTypeCounters() {
        return remote == null ? List.of() : remote.typeCounters();
    }

    /** @return remote batches in flight and invocations queued behind them (racy reads) */
    public int[] remoteLoad() {
        return remote == null ? new int[2] : new int[] {remote.inFlightBatches(), remote.queuedInvocations()};
    }

    /** @return nanoseconds spent in duty cycles that did work, and the longest such cycle; racy reads */
    public long[] dutyCycle() {
        return new long[] {busyNanos, maxDutyCycleNanos};
    }

    /** @return the epoch this partition is in; racy read */
    public long epoch() {
        return epoch;
    }

    /**
     * @return where this partition's ingress reading resumes, -1 without a durable ingress log, as of its last duty
     *     cycle that read input; any thread
     */
    public long ingressPosition() {
        return publishedIngressPosition;
    }

    /**
     * Wakes parked partitions from now on: those this partition writes to (once per duty cycle), and this one when
     * another thread queues work for it (an asynchronous call's completion, a state read). Before the thread starts.
     */
    public void wakeWith(PartitionWakeups wakeups) {
        this.wakeups = wakeups;
    }

    private void wakeSelf() {
        PartitionWakeups w = wakeups;
        if (w != null) {
            w.wake(id);
        }
    }

    /** @return this partition's number, 0 to partitions - 1 */
    public int id() {
        return id;
    }

    /** @return whether this partition's thread waits for its state store to accept writes (a full disk); any thread */
    public boolean waitingForStateWrites() {
        return state.waitingForWrites();
    }

    /**
     * The runtime stops without a last snapshot: the state store stops waiting for writes and writes nothing at
     * close ({@link io.stator.state.KeyedStateStore#abandon()}); any thread.
     */
    public void abandonState() {
        state.abandon();
    }

    /** Closes the partition's ingress and state; call after the agent has stopped. */
    public void close() {
        if (remote != null) {
            remote.close();
        }
        ingress.close();
        state.close();
    }

    // ---- input ------------------------------------------------------------------------------------------------

    private void onInboxRecord(int msgTypeId, DirectBuffer buffer, int index, int length) {
        if (msgTypeId == EnvelopeDescriptor.MSG_TYPE_MESSAGE || msgTypeId == EnvelopeDescriptor.MSG_TYPE_LARGE_MESSAGE) {
            Envelope e = msgTypeId == EnvelopeDescriptor.MSG_TYPE_MESSAGE ? codec.decode(buffer, index)
                    : large.take(id, buffer.getInt(index, java.nio.ByteOrder.LITTLE_ENDIAN));
            if (e.epoch > epoch) {
                takeSnapshot(e.epoch); // the sender has taken this snapshot: take it before anything it sent after
            }
            channels.onEnvelope(e);
            dispatch(e);
        } else if (msgTypeId == EnvelopeDescriptor.MSG_TYPE_BARRIER) {
            long id = buffer.getLong(index, java.nio.ByteOrder.LITTLE_ENDIAN);
            if (id > epoch) {
                takeSnapshot(id);
            }
        } else if (msgTypeId == EnvelopeDescriptor.MSG_TYPE_MARKER) {
            long id = buffer.getLong(index, java.nio.ByteOrder.LITTLE_ENDIAN);
            if (id > epoch) {
                takeSnapshot(id);
            }
            channels.onMarker(id, buffer.getInt(index + 8, java.nio.ByteOrder.LITTLE_ENDIAN));
        } else {
            LOG.error("partition {} got an inbox record of unknown type {} ({} bytes); dropped", id, msgTypeId, length);
        }
    }

    /**
     * Records this partition's part of snapshot {@code id} and enters epoch {@code id}: every message accepted but
     * not finished, delayed messages, ingress position, and state (frozen; the write runs in the background).
     * Then it collects channel state until the other partitions' markers arrive. Nothing stops: messages keep
     * flowing.
     *
     * <p>The markers go out before the state is frozen. Nothing is processed in between, so the order does not
     * change what the snapshot holds; but handing the frozen state to the writer wakes the writer thread, and on a
     * busy two-core machine that thread can take this one's core for several milliseconds. Sent first, the markers
     * are not held up by that, and neither are the other partitions' reports that wait for them.
     */
    private void takeSnapshot(long id) {
        long start = System.nanoTime();
        List<Envelope> pending = new ArrayList<>();
        for (ArrayDeque<Envelope> calls : parked.values()) {
            pending.addAll(calls);
        }
        pending.addAll(local);
        pending.addAll(ingress.undelivered()); // taken from the log (behind its position) but not yet dispatched
        io.stator.runtime.snapshot.PartitionSnapshot.Backlog backlog = captureBacklog(id);
        epoch = id;
        counters.snapshots++;
        for (int peer = 0; peer < partitions; peer++) {
            if (peer != this.id) {
                outbox.sendMarker(peer, id, this.id);
            }
        }
        io.stator.runtime.snapshot.PartitionSnapshot.TimerLog timers = delayed.capture(snapshots.wantsAllTimers(this.id, id));
        io.stator.state.SnapshotHandle upload = null;
        if (snapshotState && state instanceof io.stator.state.SnapshottableStateStore snapshottable) {
            upload = snapshottable.snapshot(id, snapshots.wantsCheckpoint(id));
        } else {
            state.flush();
        }
        channels.begin(id, ingress.position(), pending, backlog, timers, upload, System.nanoTime() - start);
    }

    /**
     * The remote invocations held, for snapshot {@code id}: those accepted since the previous snapshot, or all of
     * them when the coordinator asks (or the dispatcher cannot tell what it accepted). Both are cheap here: a
     * list handed over, or one array of references per address; the encoding runs on the coordinator's thread.
     */
    private io.stator.runtime.snapshot.PartitionSnapshot.Backlog captureBacklog(long id) {
        if (remote == null) {
            return io.stator.runtime.snapshot.PartitionSnapshot.Backlog.NONE;
        }
        List<io.stator.remote.client.PendingRemoteInvocation> accepted = remote.takeAccepted();
        io.stator.remote.client.BacklogHeads heads = remote.backlogHeads();
        boolean full = accepted == null || snapshots.wantsFullBacklog(this.id, id);
        return new io.stator.runtime.snapshot.PartitionSnapshot.Backlog(
                full ? remote.pendingInvocations() : accepted, full, heads.oldestSequences(), heads.held(),
                new long[0]);
    }

    /**
     * Seeds a partition restored from a snapshot, before it starts: the messages to run first (accepted but
     * unfinished at the snapshot, then channel state) and the delayed messages its addresses had sent. Its first
     * snapshot lists the delayed messages that changed since: the caller gives the coordinator their base.
     *
     * @param timersKeepIds whether the timers keep their ids, as they may when they all come from this partition's
     *                      own part of the snapshot, whose timer files the coordinator carries on
     * @return the timers as numbered now
     */
    public List<io.stator.runtime.snapshot.PartitionSnapshot.Timer> restore(List<Envelope> replay,
            List<io.stator.runtime.snapshot.PartitionSnapshot.Timer> timers, boolean timersKeepIds) {
        local.addAll(replay);
        return delayed.restore(timers, timersKeepIds);
    }

    private int runLocal() {
        int n = 0;
        Envelope e;
        while (n < BATCH && (e = local.poll()) != null) {
            dispatch(e);
            n++;
        }
        return n;
    }

    /**
     * Sends an envelope towards the partition that owns its key group.
     *
     * @return whether it stayed on this partition
     */
    private boolean route(Envelope e) {
        e.epoch = epoch; // it enters a channel now: stamp it with this partition's current epoch
        int target = KeyGroups.partitionFor(e.keyGroup, partitions, maxParallelism);
        if (target == id) {
            local.add(e);
            return true;
        }
        outbox.send(target, e);
        return false;
    }

    // ---- dispatch ---------------------------------------------------------------------------------------------

    private void dispatch(Envelope e) {
        counters.messagesIn++;
        if (!parked.isEmpty()) {
            ArrayDeque<Envelope> waiting = parked.get(e.target);
            if (waiting != null) { // an asynchronous call is running at this address: keep order
                waiting.add(e);
                return;
            }
        }
        FunctionType function = function(e.target.type());
        if (function == null) {
            if (remote != null && remote.handles(e.target.type())) {
                counters.remoteCalls++;
                remoteCounters(e.target.type()).onMessage();
                remote.invoke(e.keyGroup, e.target, e.caller, e.valueType, e.value);
                return;
            }
            deadLetter(e, "unknown function type " + e.target.type());
            return;
        }
        invoke(function, e);
    }

    private FunctionType function(TypeName type) {
        FunctionType f = functions.get(type);
        if (f == null) {
            StatefulFunctionSpec spec = specs.get(type);
            if (spec == null) {
                return null;
            }
            f = new FunctionType(spec);
            functions.put(type, f);
            publishCounters(f.counters());
        }
        return f;
    }

    private FunctionCounters remoteCounters(TypeName type) {
        FunctionCounters c = remoteTypeCounters.get(type);
        if (c == null) {
            c = new FunctionCounters(type, true);
            remoteTypeCounters.put(type, c);
            publishCounters(c);
        }
        return c;
    }

    /** A remote reply to {@code type} was applied: its batch's latency goes into the type's histogram. */
    void remoteReplyApplied(TypeName type, long latencyNanos) {
        remoteCounters(type).latency().record(latencyNanos);
    }

    private void publishCounters(FunctionCounters added) {
        List<FunctionCounters> next = new ArrayList<>(publishedCounters);
        next.add(added);
        publishedCounters = List.copyOf(next);
    }

    private void invoke(FunctionType function, Envelope e) {
        function.counters().onMessage();
        Invocation inv = function.acquire();
        inv.begin(e);
        inv.startNanos = System.nanoTime();
        loadState(inv);
        CompletableFuture<Void> result;
        try {
            StatefulFunction instance = function.instance();
            result = instance.apply(inv, e);
        } catch (Throwable t) {
            // A fault the JVM delivers late (a memory-mapped log's on a full disk), or a heap the runtime has filled,
            // is not the function's failure: it ends the partition thread. A function's own deep recursion is, and
            // so is an allocation the heap could not give when the heap has room again after it.
            Throwable failure = t;
            if (t instanceof OutOfMemoryError oom) {
                failure = CallMemory.callsOwnFault(oom);
                if (failure == null) {
                    throw oom;
                }
            } else if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
                throw fatal;
            }
            complete(inv, failure); // dead-letters the message
            function.release(inv);
            return;
        }
        if (result == null || result.isDone()) {
            complete(inv, result == null ? null : Futures.failureOf(result));
            function.release(inv);
            return;
        }
        // Asynchronous: park the address; the completion comes back through the completion queue.
        ArrayDeque<Envelope> calls = new ArrayDeque<>();
        calls.add(e); // the running call's message stays first until it completes (a snapshot records it)
        parked.put(e.target, calls);
        result.whenComplete((ignored, failure) -> {
            inv.failure = failure == null ? null : Futures.unwrap(failure);
            completions.offer(inv);
            wakeSelf();
        });
    }

    private int drainCompletions() {
        int n = 0;
        Invocation inv;
        while ((inv = completions.poll()) != null) {
            n++;
            complete(inv, inv.failure);
            Address address = inv.message.target;
            ArrayDeque<Envelope> waiting = parked.remove(address);
            if (waiting != null) {
                waiting.poll(); // the call that just completed
            }
            while (waiting != null && !waiting.isEmpty()) {
                dispatch(waiting.poll());
                ArrayDeque<Envelope> again = parked.get(address);
                if (again != null) { // parked again: the rest keep waiting behind the new call, in order
                    again.addAll(waiting);
                    break;
                }
            }
        }
        return n;
    }

    private void loadState(Invocation inv) {
        StateLayout layout = inv.function.layout();
        CellStorage storage = inv.storage;
        if (layout.size() == 0) {
            return;
        }
        long now = clock.millis();
        Envelope e = inv.message;
        for (int i = 0; i < layout.size(); i++) {
            ValueSpec<?> spec = layout.spec(i);
            try {
                storage.load(i, state.get(e.keyGroup, e.target, spec, now));
            } catch (StateTypeMismatchException mismatch) {
                storage.poison(i, mismatch.getMessage());
            }
        }
    }

    /**
     * Applies a finished call's effects (or dead-letters its message). They are not idempotent: if applying them
     * throws, some may already be routed or emitted, and the ingress would deliver the message again. So the
     * partition stops instead ({@link PartialEffectsError}); a restart resumes from the last snapshot, which holds
     * none of them.
     */
    private void complete(Invocation inv, Throwable failure) {
        try {
            if (failure != null) {
                fail(inv, failure);
                return;
            }
            RuntimeException refused = refusal(inv);
            if (refused != null) {
                fail(inv, refused);
                return;
            }
            applyEffects(inv);
        } catch (RuntimeException e) {
            throw new PartialEffectsError("the effects of a call to " + inv.message.target, e);
        }
        counters.callsCompleted++;
        inv.function.counters().latency().record(System.nanoTime() - inv.startNanos);
    }

    /**
     * Applies finished remote calls. A reply's effects are no more idempotent than an embedded call's: if applying
     * one throws part way, its batch stays in flight and a snapshot would record it to be sent again. So the
     * partition stops, as in {@link #complete}.
     */
    private int drainRemoteCompletions() {
        try {
            return remote.drainCompletions();
        } catch (RuntimeException e) {
            throw new PartialEffectsError("a remote function's reply", e);
        }
    }

    private void fail(Invocation inv, Throwable failure) {
        Envelope e = inv.message;
        String reason = "function " + inv.function.typeName() + " failed at address " + e.target + ": " + failure;
        errors.record(inv.function.typeName() + ":" + failure.getClass().getName(), reason, failure);
        FunctionCounters c = inv.function.counters();
        c.onFailure();
        c.onDeadLetter();
        c.latency().record(System.nanoTime() - inv.startNanos);
        deadLetter(e, reason);
    }

    private void applyEffects(Invocation inv) {
        Address self = inv.message.target;
        FunctionCounters c = inv.function.counters();
        for (int i = 0; i < inv.sends.size(); i++) {
            c.onSent(route(toEnvelope(inv.sends.get(i), self)));
        }
        if (!inv.delayedOps.isEmpty()) {
            long now = clock.millis();
            for (Invocation.DelayedOp op : inv.delayedOps) {
                if (op.message() == null) {
                    delayed.cancel(self, op.token());
                } else {
                    delayed.schedule(op.token(), DelayedMessages.dueAt(now, op.delayMillis()),
                            toEnvelope(op.message(), self));
                }
            }
        }
        for (int i = 0; i < inv.egress.size(); i++) {
            emit(inv.egress.get(i));
            c.onEgress();
        }
        applyState(inv);
    }

    private void applyState(Invocation inv) {
        StateLayout layout = inv.function.layout();
        CellStorage storage = inv.storage;
        Envelope e = inv.message;
        long now = -1;
        for (int i = 0; i < layout.size(); i++) {
            switch (storage.mutation(i)) {
                case MODIFIED -> {
                    if (now < 0) {
                        now = clock.millis();
                    }
                    state.put(e.keyGroup, e.target, layout.spec(i), storage.value(i), now);
                }
                case DELETED -> state.delete(e.keyGroup, e.target, layout.spec(i));
                default -> {
                }
            }
        }
    }

    // ---- effects of remote replies (RemoteBridge calls these on this thread) -----------------------------------

    void sendFrom(Address from, Message m) {
        remoteCounters(from.type()).onSent(route(toEnvelope(m, from)));
    }

    void sendAfterFrom(Address from, long delayMillis, String token, Message m) {
        Envelope e = toEnvelope(m, from);
        if (token != null && delayed.isPending(from, token)) {
            deadLetter(e, "address " + from + " reuses cancellation token '" + token
                    + "' while its delayed message is still pending");
            return;
        }
        delayed.schedule(token, DelayedMessages.dueAt(clock.millis(), Math.max(0, delayMillis)), e);
    }

    void cancelFrom(Address from, String token) {
        delayed.cancel(from, token);
    }

    /**
     * @return why a finished call's effects cannot be applied (it reuses a pending token, or emits a record its
     *     egress cannot take), or null; asked before any of them is
     */
    private RuntimeException refusal(Invocation inv) {
        String tokenError = delayed.reusedToken(inv);
        if (tokenError != null) {
            return new IllegalStateException(tokenError);
        }
        for (int i = 0; i < inv.egress.size(); i++) {
            String refusal = egress.refusal(inv.egress.get(i));
            if (refusal != null) {
                return new IllegalArgumentException("function " + inv.function.typeName() + ", address "
                        + inv.message.target + ": " + refusal);
            }
        }
        return null;
    }

    /** @return why the egress cannot take {@code record}, or null: asked before a remote reply's effects apply */
    String egressRefusal(EgressMessage record) {
        return egress.refusal(record);
    }

    void emitFrom(Address from, EgressMessage message) {
        remoteCounters(from.type()).onEgress();
        emit(message);
    }

    void deadLetterRemote(Message m, Address caller, String reason) {
        counters.deadLettered++;
        remoteCounters(m.targetAddress().type()).onDeadLetter();
        egress.emit(epoch, DeadLetters.of(m, caller, reason));
    }

    private Envelope toEnvelope(Message m, Address caller) {
        if (m instanceof Envelope e && e.caller == caller) {
            return e;
        }
        Address target = m.targetAddress();
        return new Envelope(KeyGroups.keyGroupFor(target, maxParallelism), target, caller, m.valueTypeName(), m.rawValue());
    }

    private void emit(EgressMessage message) {
        counters.egressOut++;
        egress.emit(epoch, message);
    }

    /**
     * A document of the ingress log cannot be read (a write torn by a crash or a full disk, or damage on disk): it
     * reaches no function, and its bytes go to the dead letters, so that the log does not stop here for good.
     */
    private void deadLetterDamagedIngress(long position, byte[] document, int length, RuntimeException error) {
        LOG.error("partition {}: the ingress log's document at position {} cannot be read ({}); no function gets it,"
                + " and its bytes go to {}", id, position, error.getMessage(), DeadLetters.EGRESS);
        counters.deadLettered++;
        egress.emit(epoch, DeadLetters.ofDamagedIngress(position, document, length, error.getMessage()));
    }

    private void deadLetter(Envelope e, String reason) {
        counters.deadLettered++;
        egress.emit(epoch, DeadLetters.of(e, e.caller, reason));
    }
}
