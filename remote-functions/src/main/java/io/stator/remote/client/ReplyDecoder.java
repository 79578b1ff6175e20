package io.stator.remote.client;

import com.google.protobuf.CodedInputStream;
import io.stator.remote.internal.RecentTypeNames;
import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.FromFunction;
import io.stator.remote.protocol.FromFunction.DelayedInvocation;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation;
import io.stator.remote.protocol.FromFunction.PersistedValueSpec;
import io.stator.remote.protocol.TypedValue;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a reply body into a {@link RemoteReply}, checking everything that can be checked without the
 * dispatcher's state: addresses, type names, tokens, delays. Lenient where StateFun is: an empty body, or a
 * {@code FromFunction} with neither result set, means "no effects". Stateless and thread-safe.
 */
final class ReplyDecoder {
    private ReplyDecoder() {
    }

    /**
     * @return the reply
     * @throws IllegalArgumentException saying what is wrong with the reply
     */
    static RemoteReply decode(byte[] body) {
        if (body.length == 0) {
            return RemoteReply.Effects.NONE;
        }
        FromFunction reply;
        try {
            CodedInputStream input = WireConversions.aliasing(body);
            reply = FromFunction.parseFrom(input);
            input.checkLastTagWas(0); // as parseFrom(byte[]) checks: a stray end-group tag is an error, not the end
        } catch (IOException e) {
            throw new IllegalArgumentException("the reply (" + body.length + " bytes) is not a FromFunction message: "
                    + e.getMessage(), e);
        }
        return switch (reply.getResponseCase()) {
            case INVOCATION_RESULT -> effects(reply.getInvocationResult(), new RecentTypeNames());
            case INCOMPLETE_INVOCATION_CONTEXT -> missingState(reply.getIncompleteInvocationContext().getMissingValuesList());
            case RESPONSE_NOT_SET -> RemoteReply.Effects.NONE;
        };
    }

    private static RemoteReply.MissingState missingState(List<PersistedValueSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("the reply is an IncompleteInvocationContext that lists no missing state");
        }
        List<DeclaredState> states = new ArrayList<>(specs.size());
        RecentTypeNames typeNames = new RecentTypeNames();
        for (PersistedValueSpec spec : specs) {
            String name = spec.getStateName();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("the reply lists a missing state with an empty name");
            }
            TypeName type = spec.getTypeTypename().isEmpty()
                    ? DeclaredState.UNSET_TYPE
                    : typeName(spec.getTypeTypename(), typeNames, "state", "'" + name + "'");
            try {
                states.add(new DeclaredState(name, type, WireConversions.fromWire(spec.getExpirationSpec())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state '" + name + "' has an invalid expiration: " + e.getMessage(), e);
            }
        }
        return new RemoteReply.MissingState(List.copyOf(states));
    }

    /** @param typeNames the reply's type names: its hundred egress records usually name one egress and one type */
    private static RemoteReply.Effects effects(InvocationResponse response, RecentTypeNames typeNames) {
        List<Message> messages = new ArrayList<>(response.getOutgoingMessagesCount());
        for (FromFunction.Invocation out : response.getOutgoingMessagesList()) {
            messages.add(message(out.getTarget(), out.getArgument(), "an outgoing message", typeNames));
        }
        List<RemoteReply.DelayedEffect> delayed = new ArrayList<>(response.getDelayedInvocationsCount());
        for (DelayedInvocation d : response.getDelayedInvocationsList()) {
            delayed.add(delayedEffect(d, typeNames));
        }
        List<EgressMessage> egress = new ArrayList<>(response.getOutgoingEgressesCount());
        for (FromFunction.EgressMessage e : response.getOutgoingEgressesList()) {
            egress.add(egressMessage(e, typeNames));
        }
        List<RemoteReply.StateMutation> mutations = new ArrayList<>(response.getStateMutationsCount());
        for (PersistedValueMutation m : response.getStateMutationsList()) {
            mutations.add(mutation(m, typeNames));
        }
        return new RemoteReply.Effects(messages, delayed, egress, mutations);
    }

    private static RemoteReply.DelayedEffect delayedEffect(DelayedInvocation d, RecentTypeNames typeNames) {
        if (d.getIsCancellationRequest()) {
            if (d.getCancellationToken().isEmpty()) {
                throw new IllegalArgumentException("the reply cancels a delayed message without a cancellation token");
            }
            return new RemoteReply.Cancel(d.getCancellationToken());
        }
        if (d.getDelayInMs() < 0) {
            throw new IllegalArgumentException("the reply sends a delayed message with negative delay " + d.getDelayInMs() + " ms");
        }
        Message message = message(d.getTarget(), d.getArgument(), "a delayed message", typeNames);
        String token = d.getCancellationToken().isEmpty() ? null : d.getCancellationToken();
        return new RemoteReply.Schedule(Duration.ofMillis(d.getDelayInMs()), token, message);
    }

    private static EgressMessage egressMessage(FromFunction.EgressMessage e, RecentTypeNames typeNames) {
        TypeName egress;
        try {
            egress = typeNames.of(e.getEgressNamespace(), e.getEgressType());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("the reply names an invalid egress: " + ex.getMessage(), ex);
        }
        TypedValue value = e.getArgument();
        return EgressMessageBuilder.forEgress(egress)
                .withTypedValue(typeName(value.getTypename(), typeNames, "a record for egress", egress),
                        value.getValue().toByteArray())
                .build();
    }

    private static RemoteReply.StateMutation mutation(PersistedValueMutation m, RecentTypeNames typeNames) {
        String name = m.getStateName();
        return switch (m.getMutationType()) {
            case DELETE -> new RemoteReply.StateMutation(name, null, null);
            case MODIFY -> {
                TypedValue value = m.getStateValue();
                TypeName type = value.getTypename().isEmpty()
                        ? null
                        : typeName(value.getTypename(), typeNames, "state", "'" + name + "'");
                yield new RemoteReply.StateMutation(name, type, value.getValue().toByteArray());
            }
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "state '" + name + "' has an unknown mutation type " + m.getMutationTypeValue());
        };
    }

    private static Message message(io.stator.remote.protocol.Address target, TypedValue argument, String what,
                                   RecentTypeNames typeNames) {
        io.stator.sdk.Address to;
        try {
            to = WireConversions.fromWire(target, typeNames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the reply sends " + what + " to an " + e.getMessage(), e);
        }
        TypeName type;
        try {
            type = typeNames.parse(argument.getTypename());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " to " + to + " has an invalid type name: " + e.getMessage(), e);
        }
        return MessageBuilder.forAddress(to).withTypedValue(type, argument.getValue().toByteArray()).build();
    }

    /**
     * @param what  what the name belongs to, and {@code whose}: joined into the error only when there is one, not
     *              for each of a reply's hundred valid names
     */
    private static TypeName typeName(String text, RecentTypeNames typeNames, String what, Object whose) {
        try {
            return typeNames.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + whose + " has an invalid type name: " + e.getMessage(), e);
        }
    }
}
