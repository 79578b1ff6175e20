package io.stator.runtime.remote;

import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.concurrent.CompletableFuture;

/**
 * A Stator SDK function for serving remotely: it counts the messages each address got in {@link #SEEN} and emits
 * {@code "<id> <count>"} to {@link #OUT} for every one, so duplicates and losses show in both state and egress.
 */
final class CountingFunction implements StatefulFunction {
    static final TypeName OUT = TypeName.typeNameOf("counting", "out");
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

    /** @return the function's spec under {@code type} */
    static StatefulFunctionSpec spec(TypeName type) {
        return StatefulFunctionSpec.builder(type).withValueSpec(SEEN).withSupplier(CountingFunction::new).build();
    }

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        int seen = context.storage().get(SEEN).orElse(0) + 1;
        context.storage().set(SEEN, seen);
        context.send(EgressMessageBuilder.forEgress(OUT).withValue(context.self().id() + " " + seen).build());
        return StatefulFunction.DONE;
    }
}
