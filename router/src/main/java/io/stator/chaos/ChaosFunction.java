package io.stator.chaos;

import io.stator.chaos.ChaosMessage.Kind;
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
import java.util.concurrent.TimeUnit;

/**
 * The function at every chaos address; the same class runs embedded ({@code chaos/embedded}) and behind the
 * driver's remote function server ({@code chaos/remote}). Each effect adds a value to the address's
 * {@link AddressState} and emits one record {@code command:step:code} to {@link #EFFECTS}, so the driver can tell
 * from the commands alone what every address's state and the egress must be.
 *
 * <p>Some calls finish later on purpose (an embedded call parks its address, a remote call keeps its batch in
 * flight longer), so that kills land in the middle of asynchronous and remote work. Which calls is decided by the
 * effect's fingerprint, so a replayed call behaves as the first one did.
 */
final class ChaosFunction implements StatefulFunction {
    /** One record per applied effect: {@code command:step:code}. */
    static final TypeName EFFECTS = TypeName.typeNameOf("chaos", "effects");
    /** One record per report: {@code code:count:sum:fingerprint}. */
    static final TypeName REPORTS = TypeName.typeNameOf("chaos", "reports");
    /** The step a victim's effect would have: never expected. */
    static final int VICTIM_STEP = 99;
    /** Far beyond any run: a victim that was not cancelled is still pending at the end, and the driver finds it. */
    static final Duration VICTIM_DELAY = Duration.ofMinutes(30);

    static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    static final ValueSpec<Long> SUM = ValueSpec.named("sum").withLongType();
    static final ValueSpec<Long> FINGERPRINT = ValueSpec.named("fingerprint").withLongType();

    /** The embedded function type. */
    static final StatefulFunctionSpec EMBEDDED_SPEC = spec(ChaosAddresses.EMBEDDED, false);
    /** The remote function type, as the driver's remote function server hosts it. */
    static final StatefulFunctionSpec REMOTE_SPEC = spec(ChaosAddresses.REMOTE, true);

    private final boolean remote;

    private ChaosFunction(boolean remote) {
        this.remote = remote;
    }

    private static StatefulFunctionSpec spec(TypeName type, boolean remote) {
        return StatefulFunctionSpec.builder(type).withValueSpecs(COUNT, SUM, FINGERPRINT)
                .withSupplier(() -> new ChaosFunction(remote)).build();
    }

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        ChaosMessage m = message.as(ChaosMessage.TYPE);
        switch (m.kind()) {
            case HOP -> {
                applyEffect(context, m.command(), m.step(), m.value());
                forward(context, m);
            }
            case FANOUT -> {
                applyEffect(context, m.command(), m.step(), m.value());
                for (ChaosMessage.Hop hop : m.route()) {
                    send(context, hop, m.branch());
                }
            }
            case CANCEL -> {
                applyEffect(context, m.command(), 0, m.value());
                context.sendAfter(VICTIM_DELAY, victimToken(m.command()),
                        toSelf(context, ChaosMessage.of(Kind.VICTIM, m.command(), VICTIM_STEP, 1_000_000)));
                context.send(toSelf(context, ChaosMessage.of(Kind.UNDO, m.command(), 1, m.value())));
            }
            case UNDO -> {
                context.cancelDelayedMessage(victimToken(m.command()));
                applyEffect(context, m.command(), 1, m.value());
            }
            case VICTIM -> applyEffect(context, m.command(), VICTIM_STEP, m.value());
            case REPORT -> {
                report(context);
                return DONE;
            }
            default -> throw new IllegalArgumentException("unknown chaos message kind " + m.kind());
        }
        return pace(m);
    }

    /** @return the egress record of one effect */
    static String effectRecord(long command, int step, String code) {
        return command + ":" + step + ":" + code;
    }

    /** @return the cancellation token of command {@code command}'s victim */
    static String victimToken(long command) {
        return "victim-" + command;
    }

    private static void applyEffect(Context context, long command, int step, long value) {
        AddressState s = new AddressState(context.storage().get(COUNT).orElse(0L),
                context.storage().get(SUM).orElse(0L), context.storage().get(FINGERPRINT).orElse(0L));
        AddressState next = s.apply(command, step, value);
        context.storage().set(COUNT, next.count());
        context.storage().set(SUM, next.sum());
        context.storage().set(FINGERPRINT, next.fingerprint());
        context.send(EgressMessageBuilder.forEgress(EFFECTS)
                .withValue(effectRecord(command, step, ChaosAddresses.codeOf(context.self()))).build());
    }

    private static void forward(Context context, ChaosMessage m) {
        if (m.route().isEmpty()) {
            return;
        }
        send(context, m.route().get(0), m.next());
    }

    private static void send(Context context, ChaosMessage.Hop hop, ChaosMessage m) {
        Message next = MessageBuilder.forAddress(ChaosAddresses.of(hop.code())).withCustomType(ChaosMessage.TYPE, m).build();
        if (hop.delayMillis() == 0) {
            context.send(next);
        } else {
            context.sendAfter(Duration.ofMillis(hop.delayMillis()), next);
        }
    }

    private static void report(Context context) {
        String line = ChaosAddresses.codeOf(context.self()) + ":" + context.storage().get(COUNT).orElse(0L) + ":"
                + context.storage().get(SUM).orElse(0L) + ":" + context.storage().get(FINGERPRINT).orElse(0L);
        context.send(EgressMessageBuilder.forEgress(REPORTS).withValue(line).build());
    }

    private static Message toSelf(Context context, ChaosMessage m) {
        return MessageBuilder.forAddress(context.self()).withCustomType(ChaosMessage.TYPE, m).build();
    }

    /**
     * Finishes some calls later: one in six remote calls by 10-59 ms (a batch stays in flight), one in twelve
     * embedded calls by 1-15 ms (the address parks). Effects are already recorded; they apply on completion.
     */
    private CompletableFuture<Void> pace(ChaosMessage m) {
        long h = AddressState.fingerprint(m.command(), m.step()) >>> 1;
        long delayMillis;
        if (remote) {
            delayMillis = h % 6 == 0 ? 10 + (h / 6) % 50 : 0;
        } else {
            delayMillis = h % 12 == 0 ? 1 + (h / 12) % 15 : 0;
        }
        if (delayMillis == 0) {
            return DONE;
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
    }
}
