package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLongArray;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's client for remote functions, owned and driven by one partition thread. It keeps at most one
 * request in flight per address and batches the messages that arrive meanwhile, as StateFun's runtime does:
 *
 * <ol>
 *   <li>{@link #invoke}: an idle address gets a batch of 1 at once if a call slot is free; a busy one queues the
 *       message;</li>
 *   <li>at most {@code maxConcurrentCalls} batches are in flight; an address that finds every call slot taken
 *       waits in a FIFO queue, gathering its messages, and its whole backlog goes out as one batch when a slot
 *       frees. Waiting here rather than in the HTTP client's queue is what makes batches large under load: a
 *       request is built only when it can be sent, with everything that arrived until then;</li>
 *   <li>the batch goes out on OkHttp with every known state of the function type attached; retries and back-off
 *       happen on HTTP threads and never block the partition;</li>
 *   <li>the outcome is queued; {@link #drainCompletions} applies it on the partition thread: missing state is
 *       learned and the same invocations re-sent; effects are applied in StateFun's order (messages, delayed
 *       messages and cancellations, egress, then state); then the address's backlog goes out as one batch;</li>
 *   <li>beyond StateFun: a batch that still fails after its retries, or whose reply cannot be applied, is handed
 *       to {@link RemoteEffects#deadLetter} and the address carries on with its next batch, so one broken function
 *       or address never stops the others.</li>
 * </ol>
 *
 * <p>Endpoints come from a {@link RemoteEndpointRegistry}, which may change while the dispatcher runs. The
 * dispatcher caches which endpoint serves each function type and drops that cache when the registry's version
 * differs from the one it resolved against (one volatile read per {@link #invoke} or {@link #handles}). A change
 * never touches a batch in flight: it finishes, retries and fails against the endpoint it was sent to. The
 * address's next batch goes to whatever endpoint serves its type then; if none does any more, the invocations
 * queued for it are dead-lettered.
 *
 * <p>Backpressure: {@link #isBackpressured()} is true while some address has {@code maxNumBatchRequests}
 * invocations queued, or while the dispatcher holds {@link RemoteDispatcherConfig#maxQueuedInvocations} queued
 * over all addresses; the runtime then stops reading ingress. A caller that respects it keeps each backlog within
 * the first limit and the sum within the second, so memory does not grow with the number of addresses.
 *
 * <p>Threading: every public method is for the partition thread only, except that the configured
 * {@code onCompletion} hook is called from HTTP threads.
 */
public final class RemoteDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDispatcher.class);
    /** Bounds one {@link #drainCompletions()} call so a partition's duty cycle stays short. */
    private static final int DRAIN_LIMIT = 1024;

    private final RemoteEndpointRegistry endpoints;
    private final OkHttpClient client;
    /** Which endpoint serves each type, valid for registry version {@link #resolvedVersion}. */
    private final Map<TypeName, ResolvedEndpoint> endpointByType = new HashMap<>();
    /** Each spec's OkHttp client, kept across versions while the spec is registered (identity: specs are values). */
    private final Map<RemoteEndpointSpec, ResolvedEndpoint> resolvedBySpec = new IdentityHashMap<>();
    private long resolvedVersion = -1;
    private final RemoteStateAccess state;
    private final RemoteEffects effects;
    private final RemoteDispatcherConfig config;
    private final RetryPolicy retry;
    /** Null when the scheduler came with the config and belongs to the caller. */
    private final ScheduledExecutorService ownScheduler;
    private final CompletionQueue completions;
    private final FunctionStateRegistry registry = new FunctionStateRegistry();
    private final AcceptedInvocations accepted = new AcceptedInvocations();
    private final Map<Address, AddressChannel> channels = new HashMap<>();
    /** The heads and count of what the channels hold, kept as they change: {@link #backlogHeads()}. */
    private final HeldInvocations held = new HeldInvocations();
    /** Channels with a backlog and no batch in flight, oldest first, until a call slot frees. */
    private final ArrayDeque<AddressChannel> waiting = new ArrayDeque<>();
    /** The most batches in flight at once (call slots). */
    private final int maxConcurrentCalls;
    /** Queued invocations (all addresses) at which the dispatcher reports backpressure. */
    private final int maxQueued;
    private final AtomicLongArray counters = new AtomicLongArray(RemoteCounter.values().length);
    private final java.util.concurrent.ConcurrentHashMap<TypeName, RemoteTypeCounters> byType =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<TypeName> typesWarnedAbout = new HashSet<>();
    private int inFlight;
    private int queued;
    private int saturatedAddresses;
    private boolean closed;

    /** Creates a dispatcher with {@link RemoteDispatcherConfig#defaults()}. */
    public RemoteDispatcher(List<RemoteEndpointSpec> endpoints, OkHttpClient client, RemoteStateAccess state,
                            RemoteEffects effects) {
        this(endpoints, client, state, effects, RemoteDispatcherConfig.defaults());
    }

    /**
     * A dispatcher over a fixed list of endpoints (a registry that never changes).
     *
     * @param endpoints the remote endpoints; a specific function type wins over a namespace, as in StateFun
     * @param client    the runtime's OkHttp client; each endpoint derives its timeouts from it and shares its pool
     * @throws IllegalArgumentException if two endpoints have the same {@code functions} pattern
     */
    public RemoteDispatcher(List<RemoteEndpointSpec> endpoints, OkHttpClient client, RemoteStateAccess state,
                            RemoteEffects effects, RemoteDispatcherConfig config) {
        this(RemoteEndpointRegistry.of(endpoints), client, state, effects, config);
    }

    /**
     * A dispatcher over endpoints that may change while it runs. Share one registry between all partitions'
     * dispatchers (and the admin API that changes it).
     *
     * @param endpoints the registry consulted on every call
     * @param client    the runtime's OkHttp client; each endpoint derives its timeouts from it and shares its pool
     */
    public RemoteDispatcher(RemoteEndpointRegistry endpoints, OkHttpClient client, RemoteStateAccess state,
                            RemoteEffects effects, RemoteDispatcherConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.state = Objects.requireNonNull(state, "state");
        this.effects = Objects.requireNonNull(effects, "effects");
        this.config = Objects.requireNonNull(config, "config").conclude();
        this.completions = new CompletionQueue(config.onCompletion());
        this.ownScheduler = config.retryScheduler() == null ? RemoteDispatcherConfig.newRetryScheduler() : null;
        this.retry = RetryPolicy.of(config, ownScheduler != null ? ownScheduler : config.retryScheduler());
        this.maxConcurrentCalls = config.maxConcurrentCalls() > 0
                ? config.maxConcurrentCalls()
                : client.dispatcher().getMaxRequests();
        this.maxQueued = this.config.maxQueuedInvocations();
    }

    /** @return whether an endpoint serves {@code functionType}, i.e. whether {@link #invoke} accepts it */
    public boolean handles(TypeName functionType) {
        return endpointFor(functionType) != null;
    }

    /**
     * Sends a message to a remote function: at once as a batch of 1 if the address is idle and a call slot is
     * free, otherwise later (after the address's batch in flight, or when a slot frees), together with everything
     * else queued for the address by then.
     *
     * @param keyGroup    the target's key group, passed back to {@link RemoteStateAccess}
     * @param callerOrNull the sender, or null (ingress, timer without sender)
     * @param arg         the argument's bytes; handed over, not copied
     * @throws IllegalArgumentException if no endpoint serves the target's function type
     * @throws IllegalStateException    if the dispatcher is closed
     */
    public void invoke(int keyGroup, Address target, Address callerOrNull, TypeName argType, byte[] arg) {
        if (closed) {
            throw new IllegalStateException("the remote dispatcher is closed; cannot invoke " + target);
        }
        ResolvedEndpoint endpoint = endpointFor(target.type());
        if (endpoint == null) {
            throw new IllegalArgumentException("no remote endpoint serves function type " + target.type() + " (address "
                    + target + "); endpoints: " + endpoints.snapshot().patterns());
        }
        AddressChannel channel = channels.get(target);
        if (channel == null) {
            channel = new AddressChannel(target, keyGroup, endpoint, held);
            channels.put(target, channel);
            if (inFlight < maxConcurrentCalls && waiting.isEmpty()) {
                send(channel, List.of(accepted.accept(keyGroup, target, callerOrNull, argType, arg)));
                return;
            }
            // Every slot is taken (or others wait for one first): gather messages until drainCompletions sends.
            waiting.addLast(channel);
        }
        // The channel's address, not the caller's copy: a backlog of a million invocations then holds one address
        // object per address instead of one (with its id string) per invocation.
        channel.enqueue(accepted.accept(keyGroup, channel.address, callerOrNull, argType, arg));
        queued++;
        typeCounters(target.type()).queued++;
        if (queued == maxQueued) {
            counters.incrementAndGet(RemoteCounter.BACKPRESSURE_EVENTS.id());
            // The bound is over all types; the one whose invocation reached it is the one named.
            typeCounters(target.type()).counts.incrementAndGet(RemoteCounter.BACKPRESSURE_EVENTS.id());
        }
        updateSaturation(channel);
    }

    /** Keeps {@link #saturatedAddresses} in step with whether the channel's backlog is at its endpoint's bound. */
    private void updateSaturation(AddressChannel channel) {
        boolean saturated = channel.backlogSize() >= channel.endpoint.spec().maxNumBatchRequests();
        if (saturated == channel.saturated) {
            return;
        }
        channel.saturated = saturated;
        if (saturated) {
            saturatedAddresses++;
            counters.incrementAndGet(RemoteCounter.BACKPRESSURE_EVENTS.id());
            typeCounters(channel.address.type()).counts.incrementAndGet(RemoteCounter.BACKPRESSURE_EVENTS.id());
        } else {
            saturatedAddresses--;
        }
    }

    /**
     * Applies finished HTTP calls: learns missing state and re-sends, or applies effects and state, or
     * dead-letters; then gives the free call slots to waiting addresses, whose backlogs go out as batches.
     *
     * @return how many completions were handled (at most an internal bound per call) plus batches sent from the
     *     waiting queue
     * @throws RuntimeException whatever the {@link RemoteEffects} or {@link RemoteStateAccess} throw; the reply
     *     being applied may then be applied in part, and its batch stays in flight, so the caller must stop using
     *     this dispatcher (a partition stops and resumes from its last snapshot)
     */
    public int drainCompletions() {
        int handled = 0;
        Completion completion;
        while (handled < DRAIN_LIMIT && (completion = completions.poll()) != null) {
            handled++;
            apply(completion);
        }
        return handled + sendWaiting();
    }

    /**
     * Gives free call slots to waiting channels, oldest first: each sends its backlog (up to its endpoint's
     * {@code maxNumBatchRequests}) as one batch, or dead-letters it if no endpoint serves its type any more.
     *
     * @return how many channels left the queue
     */
    private int sendWaiting() {
        int sent = 0;
        while (!closed && inFlight < maxConcurrentCalls && !waiting.isEmpty()) {
            AddressChannel channel = waiting.pollFirst();
            sent++;
            sendBacklog(channel);
        }
        return sent;
    }

    /**
     * @return true while some address's backlog is at its endpoint's {@code maxNumBatchRequests}, or while the
     *     queued invocations of all addresses reach {@link RemoteDispatcherConfig#maxQueuedInvocations}
     */
    public boolean isBackpressured() {
        return saturatedAddresses > 0 || queued >= maxQueued;
    }

    /**
     * @return whether any batch is in flight (sent, retrying, or answered but not yet drained) or any address
     *     waits for a call slot
     */
    public boolean hasInFlight() {
        return inFlight > 0 || !waiting.isEmpty();
    }

    /** @return the number of batches in flight, one per busy address */
    public int inFlightBatches() {
        return inFlight;
    }

    /** @return the number of invocations queued behind in-flight batches or waiting for a call slot */
    public int queuedInvocations() {
        return queued;
    }

    /** @return this dispatcher's counters per remote function type it has called; any thread (racy gauges) */
    public java.util.Collection<RemoteTypeCounters> typeCounters() {
        return java.util.Collections.unmodifiableCollection(byType.values());
    }

    private RemoteTypeCounters typeCounters(TypeName type) {
        RemoteTypeCounters c = byType.get(type);
        return c != null ? c : byType.computeIfAbsent(type, RemoteTypeCounters::new);
    }

    /** @return the current value of {@code counter} */
    public long count(RemoteCounter counter) {
        return counters.get(counter.id());
    }

    /**
     * @return every invocation held, in flight or queued, per address in arrival order: what a snapshot must
     *     record so that recovery can invoke them again. An immutable capture of this moment, taken in about one
     *     reference copy per invocation; its elements are made when first read, which may happen on another
     *     thread once the list was handed over safely (e.g. through a queue)
     */
    public List<PendingRemoteInvocation> pendingInvocations() {
        int addresses = channels.size();
        int[] keyGroups = new int[addresses];
        RemoteInvocation[][] perAddress = new RemoteInvocation[addresses][];
        int a = 0;
        for (AddressChannel channel : channels.values()) {
            keyGroups[a] = channel.keyGroup;
            perAddress[a] = channel.heldInvocations();
            a++;
        }
        return new CapturedInvocations(keyGroups, perAddress);
    }

    /**
     * Ends the record of accepted invocations and starts the next: what a snapshot that records only the change
     * since the previous one needs. Records are kept only once this has been called, so a dispatcher nobody
     * snapshots keeps none.
     *
     * @return the invocations accepted since the previous call, oldest first, each with its key group and
     *     {@link RemoteInvocation#sequence()}; null if unknown (the first call, or the record outgrew
     *     {@link AcceptedInvocations#MAX_RECORDED} because nobody asked), and then only
     *     {@link #pendingInvocations()} tells what is held
     */
    public List<PendingRemoteInvocation> takeAccepted() {
        return accepted.take();
    }

    /**
     * @return for every address holding invocations (in flight or queued), the sequence of its oldest, and how
     *     many invocations are held in all. An address's invocations run in sequence order, so with the record
     *     of accepted invocations this tells which are still held: those of such an address, from its oldest on
     */
    public BacklogHeads backlogHeads() {
        return held.copy();
    }

    /**
     * Cancels the calls in flight and stops the retry scheduler if the dispatcher created it. Nothing is
     * dead-lettered: held invocations stay listed by {@link #pendingInvocations()} for a snapshot.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AddressChannel channel : channels.values()) {
            if (channel.inFlight() != null && channel.inFlight().call != null) {
                channel.inFlight().call.cancel();
            }
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    /** @return the endpoint serving {@code type} in the registry's current version, or null */
    private ResolvedEndpoint endpointFor(TypeName type) {
        RemoteEndpointRegistry.Snapshot snapshot = endpoints.snapshot(); // the one volatile read per lookup
        if (snapshot.version() != resolvedVersion) {
            endpointByType.clear();
            resolvedBySpec.keySet().retainAll(snapshot.endpoints());
            resolvedVersion = snapshot.version();
        }
        ResolvedEndpoint cached = endpointByType.get(type);
        if (cached != null) {
            return cached;
        }
        RemoteEndpointSpec spec = snapshot.endpointFor(type);
        if (spec == null) {
            return null;
        }
        ResolvedEndpoint resolved = resolvedBySpec.computeIfAbsent(spec, s -> ResolvedEndpoint.of(s, client));
        endpointByType.put(type, resolved);
        return resolved;
    }

    private void send(AddressChannel channel, List<RemoteInvocation> invocations) {
        InFlightBatch batch = new InFlightBatch(channel, invocations);
        channel.inFlight(batch);
        inFlight++;
        typeCounters(channel.address.type()).inFlight++;
        batch.startedNanos = System.nanoTime();
        transmit(batch);
    }

    /** Encodes the batch with the current state and starts its HTTP call (again, after a state round trip). */
    private void transmit(InFlightBatch batch) {
        AddressChannel channel = batch.channel;
        List<ValueSpec<byte[]>> specs = registry.specsOf(channel.address.type());
        byte[] body;
        try {
            body = RequestEncoder.encode(channel.keyGroup, channel.address, specs, batch.invocations, state);
        } catch (RuntimeException e) {
            // Reported through the queue, so deadLetter is never called from inside invoke().
            completions.offer(Completion.failed(batch, "cannot build the request for " + channel.address + ": " + e));
            return;
        }
        batch.statesSent = specs.size();
        ResolvedEndpoint endpoint = channel.endpoint;
        RemoteTypeCounters type = typeCounters(channel.address.type());
        batch.call = new HttpBatchCall(batch, endpoint, endpoint.urlFor(channel.address.type()), body, retry,
                completions, counters, type.counts);
        counters.incrementAndGet(RemoteCounter.BATCHES_SENT.id());
        counters.addAndGet(RemoteCounter.INVOCATIONS_SENT.id(), batch.invocations.size());
        type.counts.incrementAndGet(RemoteCounter.BATCHES_SENT.id());
        type.counts.addAndGet(RemoteCounter.INVOCATIONS_SENT.id(), batch.invocations.size());
        batch.call.start();
    }

    private void apply(Completion completion) {
        InFlightBatch batch = completion.batch();
        if (closed || batch.channel.inFlight() != batch) {
            return; // the dispatcher was closed after this call finished
        }
        if (completion.errorOrNull() != null) {
            failBatch(batch, completion.errorOrNull());
        } else if (completion.replyOrNull() instanceof RemoteReply.MissingState missing) {
            onMissingState(batch, missing);
        } else {
            onEffects(batch, (RemoteReply.Effects) completion.replyOrNull());
        }
    }

    private void onMissingState(InFlightBatch batch, RemoteReply.MissingState missing) {
        counters.incrementAndGet(RemoteCounter.STATE_ROUND_TRIPS.id());
        TypeName type = batch.channel.address.type();
        typeCounters(type).counts.incrementAndGet(RemoteCounter.STATE_ROUND_TRIPS.id());
        if (++batch.stateRoundTrips > config.maxStateRoundTrips()) {
            failBatch(batch, "function " + type + " asked for missing state " + batch.stateRoundTrips
                    + " times for the same batch; last: " + names(missing));
            return;
        }
        boolean anyNotSent = false;
        for (DeclaredState declared : missing.states()) {
            try {
                registry.register(type, declared);
            } catch (IllegalArgumentException e) {
                failBatch(batch, e.getMessage());
                return;
            }
            anyNotSent |= registry.position(type, declared.name()) >= batch.statesSent;
        }
        if (!anyNotSent) {
            failBatch(batch, "function " + type + " reports missing state " + names(missing)
                    + " although the request carried all of it");
            return;
        }
        transmit(batch);
    }

    private void onEffects(InFlightBatch batch, RemoteReply.Effects reply) {
        Address self = batch.channel.address;
        List<ValueSpec<byte[]>> mutated = new ArrayList<>(reply.mutations().size());
        for (RemoteReply.StateMutation mutation : reply.mutations()) {
            ValueSpec<byte[]> spec = registry.spec(self.type(), mutation.name());
            String problem = checkMutation(self.type(), mutation, spec);
            if (problem != null) {
                failBatch(batch, problem);
                return;
            }
            mutated.add(spec);
        }
        for (EgressMessage egress : reply.egress()) {
            String refusal = effects.egressRefusal(egress);
            if (refusal != null) {
                failBatch(batch, "function " + self.type() + " answered a record the runtime cannot write: " + refusal);
                return;
            }
        }
        for (Message message : reply.messages()) {
            effects.send(self, message);
        }
        for (RemoteReply.DelayedEffect delayed : reply.delayed()) {
            if (delayed instanceof RemoteReply.Schedule schedule) {
                effects.sendAfter(self, schedule.delay(), schedule.tokenOrNull(), schedule.message());
            } else {
                effects.cancelDelayed(self, ((RemoteReply.Cancel) delayed).token());
            }
        }
        for (EgressMessage egress : reply.egress()) {
            effects.egress(self, egress);
        }
        for (int i = 0; i < mutated.size(); i++) {
            RemoteReply.StateMutation mutation = reply.mutations().get(i);
            if (mutation.isDelete()) {
                state.delete(batch.channel.keyGroup, self, mutated.get(i));
            } else {
                state.put(batch.channel.keyGroup, self, mutated.get(i), mutation.valueOrNull());
            }
        }
        counters.incrementAndGet(RemoteCounter.REPLIES_APPLIED.id());
        RemoteTypeCounters type = typeCounters(self.type());
        type.counts.incrementAndGet(RemoteCounter.REPLIES_APPLIED.id());
        long latencyNanos = System.nanoTime() - batch.startedNanos;
        type.replyNanosSum += latencyNanos; // one writer: the partition thread
        effects.replyApplied(self, latencyNanos);
        finishBatch(batch);
    }

    /** @return why the mutation cannot be applied, or null if it can */
    private static String checkMutation(TypeName type, RemoteReply.StateMutation mutation, ValueSpec<byte[]> spec) {
        if (spec == null) {
            return "function " + type + " changed state '" + mutation.name() + "', which it never declared";
        }
        if (!mutation.isDelete() && mutation.typeOrNull() != null && !mutation.typeOrNull().equals(spec.typeName())) {
            return "function " + type + " wrote state '" + mutation.name() + "' with type " + mutation.typeOrNull()
                    + ", but it is registered with type " + spec.typeName();
        }
        return null;
    }

    private void failBatch(InFlightBatch batch, String error) {
        Address target = batch.channel.address;
        counters.incrementAndGet(RemoteCounter.BATCH_FAILURES.id());
        counters.addAndGet(RemoteCounter.DEAD_LETTERED.id(), batch.invocations.size());
        RemoteTypeCounters type = typeCounters(target.type());
        type.counts.incrementAndGet(RemoteCounter.BATCH_FAILURES.id());
        type.counts.addAndGet(RemoteCounter.DEAD_LETTERED.id(), batch.invocations.size());
        if (typesWarnedAbout.add(target.type())) {
            LOG.warn("remote batch to {} dead-lettered ({} invocations): {}; further failures of function type {} "
                    + "are logged at debug level", target, batch.invocations.size(), error, target.type());
        } else {
            LOG.debug("remote batch to {} dead-lettered ({} invocations): {}", target, batch.invocations.size(), error);
        }
        effects.deadLetter(target, batch.invocations, error);
        finishBatch(batch);
    }

    /**
     * Ends the batch in flight and queues the address for a call slot if messages wait for it (the slot just
     * freed goes to the oldest waiting address, in {@link #sendWaiting()}), or forgets the address if none do.
     */
    private void finishBatch(InFlightBatch batch) {
        AddressChannel channel = batch.channel;
        channel.inFlight(null);
        inFlight--;
        RemoteTypeCounters type = typeCounters(channel.address.type());
        type.inFlight--;
        if (channel.backlogSize() == 0) {
            channels.remove(channel.address);
            return;
        }
        waiting.addLast(channel);
    }

    /**
     * Sends the backlog of a channel that got a call slot to the endpoint serving its type now; a backlog whose
     * endpoint was removed meanwhile is dead-lettered.
     */
    private void sendBacklog(AddressChannel channel) {
        RemoteTypeCounters type = typeCounters(channel.address.type());
        ResolvedEndpoint endpoint = endpointFor(channel.address.type());
        if (endpoint == null) {
            dropBacklog(channel);
            return;
        }
        channel.endpoint = endpoint;
        List<RemoteInvocation> next = channel.takeBatch(endpoint.spec().maxNumBatchRequests());
        queued -= next.size();
        type.queued -= next.size();
        updateSaturation(channel);
        send(channel, next);
    }

    /** Dead-letters what waits for an address whose function type no endpoint serves any more. */
    private void dropBacklog(AddressChannel channel) {
        List<RemoteInvocation> backlog = channel.takeBatch(channel.backlogSize());
        queued -= backlog.size();
        RemoteTypeCounters type = typeCounters(channel.address.type());
        type.queued -= backlog.size();
        type.counts.addAndGet(RemoteCounter.DEAD_LETTERED.id(), backlog.size());
        updateSaturation(channel);
        channels.remove(channel.address);
        counters.addAndGet(RemoteCounter.DEAD_LETTERED.id(), backlog.size());
        String error = "no remote endpoint serves function type " + channel.address.type()
                + " any more (its endpoint was removed while these invocations waited)";
        LOG.warn("{} invocations for {} dead-lettered: {}", backlog.size(), channel.address, error);
        effects.deadLetter(channel.address, backlog, error);
    }

    private static List<String> names(RemoteReply.MissingState missing) {
        return missing.states().stream().map(DeclaredState::name).toList();
    }
}
