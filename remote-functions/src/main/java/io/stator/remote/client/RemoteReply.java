package io.stator.remote.client;

import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.List;

/**
 * A decoded and checked {@code FromFunction}: either the effects of a batch or the states the function is
 * missing. Decoded on the HTTP callback thread so the partition thread only applies it.
 */
sealed interface RemoteReply {
    /** The function needs these states listed before it runs anything; the batch is re-sent. */
    record MissingState(List<DeclaredState> states) implements RemoteReply {
    }

    /** A batch's effects, each list in the function's order. */
    record Effects(List<Message> messages, List<DelayedEffect> delayed, List<EgressMessage> egress,
                   List<StateMutation> mutations) implements RemoteReply {
        /** The result of an empty 200 body or a {@code FromFunction} with nothing set: no effects. */
        static final Effects NONE = new Effects(List.of(), List.of(), List.of(), List.of());
    }

    /** A delayed message or the cancellation of one, kept in one list to preserve their order. */
    sealed interface DelayedEffect {
    }

    /** Send {@code message} after {@code delay}, optionally under a cancellation token. */
    record Schedule(Duration delay, String tokenOrNull, Message message) implements DelayedEffect {
    }

    /** Cancel the pending delayed message with {@code token}. */
    record Cancel(String token) implements DelayedEffect {
    }

    /**
     * A state change: a MODIFY with the full value, or a DELETE.
     *
     * @param typeOrNull the value's type for a MODIFY, or null when the reply left it empty (old SDKs did)
     * @param valueOrNull the new value, or null for a DELETE
     */
    record StateMutation(String name, TypeName typeOrNull, byte[] valueOrNull) {
        boolean isDelete() {
            return valueOrNull == null;
        }
    }
}
