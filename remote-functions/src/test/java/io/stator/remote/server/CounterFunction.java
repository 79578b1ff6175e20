package io.stator.remote.server;

import io.stator.sdk.Address;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Stator SDK function that exercises every effect: it counts calls in {@code seen} (expires one day after the
 * last call), remembers the last name, greets via another function, emits to an egress, schedules and cancels
 * a reminder. Commands: {@code "forget"} removes the count, {@code "cancel"} cancels the reminder.
 */
public final class CounterFunction implements StatefulFunction {
    public static final TypeName TYPE = TypeName.typeNameOf("example", "counter");
    public static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    public static final TypeName EGRESS = TypeName.typeNameOf("example", "out");
    public static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").thatExpireAfterCall(Duration.ofDays(1)).withIntType();
    public static final ValueSpec<String> NAME = ValueSpec.named("name").withUtf8StringType();
    public static final AtomicInteger CALLS = new AtomicInteger();

    public static final StatefulFunctionSpec SPEC =
            StatefulFunctionSpec.builder(TYPE).withValueSpecs(SEEN, NAME).withSupplier(CounterFunction::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        CALLS.incrementAndGet();
        String text = message.asUtf8String();
        if (text.equals("forget")) {
            context.storage().remove(SEEN);
            return StatefulFunction.DONE;
        }
        if (text.equals("cancel")) {
            context.cancelDelayedMessage("reminder-" + context.self().id());
            return StatefulFunction.DONE;
        }
        int seen = context.storage().get(SEEN).orElse(0) + 1;
        context.storage().set(SEEN, seen);
        context.storage().set(NAME, text);
        String from = context.caller().map(Address::toString).orElse("ingress");
        context.send(MessageBuilder.forAddress(GREETER, text).withValue("hello " + text + " #" + seen + " from " + from).build());
        context.send(EgressMessageBuilder.forEgress(EGRESS).withValue(text + ":" + seen).build());
        if (seen == 2) {
            context.sendAfter(Duration.ofSeconds(1), "reminder-" + context.self().id(),
                    MessageBuilder.forAddress(context.self()).withValue("remind").build());
        }
        return StatefulFunction.DONE;
    }
}
