package io.stator.sdk.testing;

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

/**
 * An example function for {@link TestContextTest}, written as a user would: it adds up the ints it is sent,
 * tells a stats function each new total, and reminds itself {@link #REMINDER_DELAY} after its first count
 * (through the egress) until it receives {@code "stop"}, which cancels the pending reminder.
 */
final class CountingReminder implements StatefulFunction {
    static final TypeName TYPE = TypeName.typeNameOf("example", "counting-reminder");
    static final TypeName STATS = TypeName.typeNameOf("example", "stats");
    static final TypeName COUNTS_EGRESS = TypeName.typeNameOf("example", "counts");
    static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
    static final String REMINDER_TOKEN = "reminder";
    static final Duration REMINDER_DELAY = Duration.ofHours(1);
    static final String REMIND = "remind";
    static final String STOP = "stop";

    static final StatefulFunctionSpec SPEC =
            StatefulFunctionSpec.builder(TYPE).withValueSpec(COUNT).withSupplier(CountingReminder::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        if (message.isInt()) {
            add(context, message.asInt());
        } else if (message.isUtf8String() && REMIND.equals(message.asUtf8String())) {
            remind(context);
        } else if (message.isUtf8String() && STOP.equals(message.asUtf8String())) {
            stop(context);
        } else {
            throw new IllegalArgumentException("counting-reminder cannot handle " + message);
        }
        return DONE;
    }

    private static void add(Context context, int amount) {
        boolean first = context.storage().get(COUNT).isEmpty();
        int total = context.storage().get(COUNT).orElse(0) + amount;
        context.storage().set(COUNT, total);
        context.send(MessageBuilder.forAddress(STATS, context.self().id()).withValue(total).build());
        if (first) {
            scheduleReminder(context);
        }
    }

    private static void remind(Context context) {
        int total = context.storage().get(COUNT).orElse(0);
        context.send(EgressMessageBuilder.forEgress(COUNTS_EGRESS).withValue("still counting: " + total).build());
        scheduleReminder(context);
    }

    private static void stop(Context context) {
        context.cancelDelayedMessage(REMINDER_TOKEN);
        int total = context.storage().get(COUNT).orElse(0);
        context.storage().remove(COUNT);
        context.send(EgressMessageBuilder.forEgress(COUNTS_EGRESS).withValue("stopped at " + total).build());
    }

    private static void scheduleReminder(Context context) {
        Message reminder = MessageBuilder.forAddress(context.self()).withValue(REMIND).build();
        context.sendAfter(REMINDER_DELAY, REMINDER_TOKEN, reminder);
    }
}
