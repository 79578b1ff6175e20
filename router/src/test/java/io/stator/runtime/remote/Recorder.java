package io.stator.runtime.remote;

import io.stator.sdk.Address;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.util.concurrent.CompletableFuture;

/**
 * An embedded Stator SDK function that reports every message it gets to the egress {@link #SEEN} as
 * {@code "<caller> -> <id>: <text>"} ({@code ingress} when there is no caller): the other end for remote
 * functions that message another function.
 */
final class Recorder implements StatefulFunction {
    static final TypeName TYPE = TypeName.typeNameOf("local", "recorder");
    static final TypeName SEEN = TypeName.typeNameOf("local", "seen");
    static final StatefulFunctionSpec SPEC = StatefulFunctionSpec.builder(TYPE).withSupplier(Recorder::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        String caller = context.caller().map(Address::toString).orElse("ingress");
        context.send(EgressMessageBuilder.forEgress(SEEN)
                .withValue(caller + " -> " + context.self().id() + ": " + message.asUtf8String()).build());
        return StatefulFunction.DONE;
    }
}
