package io.stator.examples.greeter;

import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.concurrent.CompletableFuture;

/**
 * Greets a user: counts the visits of each user (the address id) in state and replies on the
 * {@code example/greets} egress.
 */
public final class Greeter implements StatefulFunction {
    /** The function type. */
    public static final TypeName TYPE = TypeName.typeNameOf("example", "greeter");
    /** Where greetings go. */
    public static final TypeName GREETS = TypeName.typeNameOf("example", "greets");
    /** How many times this user was seen. */
    public static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();
    /** The function type with its state, for the runtime. */
    public static final StatefulFunctionSpec SPEC =
            StatefulFunctionSpec.builder(TYPE).withValueSpec(SEEN).withSupplier(Greeter::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        int seen = context.storage().get(SEEN).orElse(0) + 1;
        context.storage().set(SEEN, seen);
        String user = context.self().id();
        String note = message.isUtf8String() && !message.asUtf8String().isEmpty() ? " (" + message.asUtf8String() + ")" : "";
        String greeting = seen == 1
                ? "Hello " + user + ", welcome!" + note
                : "Hello " + user + ", this is visit number " + seen + "." + note;
        context.send(EgressMessageBuilder.forEgress(GREETS).withValue(greeting).build());
        return DONE;
    }
}
