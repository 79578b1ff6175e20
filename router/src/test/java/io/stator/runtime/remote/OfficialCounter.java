package io.stator.runtime.remote;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.statefun.sdk.java.Context;
import org.apache.flink.statefun.sdk.java.StatefulFunction;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.message.EgressMessageBuilder;
import org.apache.flink.statefun.sdk.java.message.Message;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;

/**
 * A function written with the OFFICIAL Apache Flink StateFun Java SDK 3.3.0 (nothing of Stator in it). It takes
 * UTF-8 commands and reports to the egress {@link #OUT} as {@code "<id> <what happened>"}:
 * <ul>
 *   <li>{@code count}: adds one to {@link #SEEN}, reports it, and greets the embedded {@link #RECORDER} at the
 *       same id;</li>
 *   <li>{@code note:<text>}: stores {@code text} in {@link #NOTE};</li>
 *   <li>{@code peek}: reports both states ({@code none} when absent);</li>
 *   <li>{@code arm:<token>:<millis>}: sends {@code "fired <token>"} to the recorder after {@code millis}, under the
 *       cancellation token {@code token};</li>
 *   <li>{@code disarm:<token>}: cancels that delayed message.</li>
 * </ul>
 */
final class OfficialCounter implements StatefulFunction {
    static final TypeName TYPE = TypeName.typeNameOf("official", "counter");
    static final TypeName OUT = TypeName.typeNameOf("official", "out");
    /** The embedded Stator function this one messages (see {@link Recorder}). */
    static final TypeName RECORDER = TypeName.typeNameOf("local", "recorder");
    /** Expires a minute after the address was last called. */
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").thatExpiresAfterCall(Duration.ofMinutes(1)).withIntType();
    /** Expires ten seconds after it was written, however often it is read. */
    static final ValueSpec<String> NOTE =
            ValueSpec.named("note").thatExpireAfterWrite(Duration.ofSeconds(10)).withUtf8StringType();

    /** @return the official SDK's function registry holding this function */
    static StatefulFunctions functions() {
        return new StatefulFunctions().withStatefulFunction(StatefulFunctionSpec.builder(TYPE)
                .withValueSpecs(SEEN, NOTE)
                .withSupplier(OfficialCounter::new));
    }

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        String[] command = message.asUtf8String().split(":");
        switch (command[0]) {
            case "count" -> count(context);
            case "note" -> {
                context.storage().set(NOTE, command[1]);
                report(context, "noted " + command[1]);
            }
            case "peek" -> report(context, "seen=" + context.storage().get(SEEN).map(String::valueOf).orElse("none")
                    + " note=" + context.storage().get(NOTE).orElse("none"));
            case "arm" -> context.sendAfter(Duration.ofMillis(Long.parseLong(command[2])), command[1],
                    MessageBuilder.forAddress(RECORDER, context.self().id()).withValue("fired " + command[1]).build());
            case "disarm" -> context.cancelDelayedMessage(command[1]);
            default -> throw new IllegalArgumentException("unknown command '" + message.asUtf8String() + "'");
        }
        return context.done();
    }

    private static void count(Context context) {
        int seen = context.storage().get(SEEN).orElse(0) + 1;
        context.storage().set(SEEN, seen);
        context.send(MessageBuilder.forAddress(RECORDER, context.self().id()).withValue("hello #" + seen).build());
        report(context, "count=" + seen);
    }

    private static void report(Context context, String what) {
        context.send(EgressMessageBuilder.forEgress(OUT).withValue(context.self().id() + " " + what).build());
    }
}
