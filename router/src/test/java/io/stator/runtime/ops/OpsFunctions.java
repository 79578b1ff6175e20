package io.stator.runtime.ops;

import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;

/** The functions the ops tests run: a counter that emits one egress record per message, and a forwarder. */
final class OpsFunctions {
    static final TypeName COUNTER = TypeName.typeNameOf("test", "counter");
    static final TypeName FORWARDER = TypeName.typeNameOf("test", "forwarder");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

    /** Counts messages per address in state and emits the new count to {@link #OUT}. */
    static final StatefulFunctionSpec COUNTER_SPEC = StatefulFunctionSpec.builder(COUNTER).withValueSpec(SEEN)
            .withSupplier(() -> (StatefulFunction) (context, message) -> {
                int seen = context.storage().get(SEEN).orElse(0) + 1;
                context.storage().set(SEEN, seen);
                context.send(EgressMessageBuilder.forEgress(OUT).withValue(seen).build());
                return StatefulFunction.DONE;
            }).build();

    /** Forwards each message to the counter at {@code fwd-<own id>}. */
    static final StatefulFunctionSpec FORWARDER_SPEC = StatefulFunctionSpec.builder(FORWARDER)
            .withSupplier(() -> (StatefulFunction) (context, message) -> {
                context.send(MessageBuilder.forAddress(COUNTER, "fwd-" + context.self().id())
                        .withValue(message.asUtf8String()).build());
                return StatefulFunction.DONE;
            }).build();

    static final TypeName REMOTE_ECHO = TypeName.typeNameOf("remote", "echo");

    /** Served over HTTP in the admin tests: emits {@code echo:<message>} to {@link #OUT}. */
    static final StatefulFunctionSpec REMOTE_ECHO_SPEC = StatefulFunctionSpec.builder(REMOTE_ECHO)
            .withSupplier(() -> (StatefulFunction) (context, message) -> {
                context.send(EgressMessageBuilder.forEgress(OUT).withValue("echo:" + message.asUtf8String()).build());
                return StatefulFunction.DONE;
            }).build();

    private OpsFunctions() {
    }
}
