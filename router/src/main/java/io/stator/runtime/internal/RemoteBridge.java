package io.stator.runtime.internal;

import io.stator.remote.client.RemoteEffects;
import io.stator.remote.client.RemoteInvocation;
import io.stator.remote.client.RemoteStateAccess;
import io.stator.runtime.Clock;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyedStateStore;
import io.stator.state.StateTypeMismatchException;
import java.time.Duration;
import java.util.List;

/**
 * What a partition lends its remote dispatcher: the partition's keyed state, and the ways to apply a remote
 * reply's effects (messages, delayed messages, egress, dead letters). Runs on the partition thread only, like
 * the dispatcher itself.
 */
final class RemoteBridge implements RemoteStateAccess, RemoteEffects {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemoteBridge.class);
    private final Partition partition;
    private final KeyedStateStore state;
    private final Clock clock;

    RemoteBridge(Partition partition, KeyedStateStore state, Clock clock) {
        this.partition = partition;
        this.state = state;
        this.clock = clock;
    }

    /**
     * A stored value whose type does not match the spec the remote function declared is logged and sent as
     * absent (the dispatcher must not see exceptions while it builds a request); the function's next write
     * replaces it.
     */
    @Override
    public byte[] get(int keyGroup, Address address, ValueSpec<?> spec) {
        try {
            return state.get(keyGroup, address, spec, clock.millis());
        } catch (StateTypeMismatchException e) {
            LOG.error("function {}, address {}, state '{}' {}; sending it to the remote function as absent",
                    address.type(), address, spec.name(), e.getMessage());
            return null;
        }
    }

    @Override
    public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value) {
        state.put(keyGroup, address, spec, value, clock.millis());
    }

    @Override
    public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
        state.delete(keyGroup, address, spec);
    }

    @Override
    public void send(Address from, Message message) {
        partition.sendFrom(from, message);
    }

    @Override
    public void sendAfter(Address from, Duration delay, String tokenOrNull, Message message) {
        partition.sendAfterFrom(from, delay.toMillis(), tokenOrNull, message);
    }

    @Override
    public void cancelDelayed(Address from, String token) {
        partition.cancelFrom(from, token);
    }

    @Override
    public void egress(Address from, EgressMessage message) {
        partition.emitFrom(from, message);
    }

    @Override
    public String egressRefusal(EgressMessage message) {
        return partition.egressRefusal(message);
    }

    @Override
    public void replyApplied(Address self, long latencyNanos) {
        partition.remoteReplyApplied(self.type(), latencyNanos);
    }

    @Override
    public void deadLetter(Address target, List<RemoteInvocation> messages, String error) {
        for (RemoteInvocation m : messages) {
            partition.deadLetterRemote(m, m.caller(), error);
        }
    }
}
