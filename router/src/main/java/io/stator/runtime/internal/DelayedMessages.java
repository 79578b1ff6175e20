package io.stator.runtime.internal;

import io.stator.sdk.Address;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The delayed messages a partition's functions have sent, on Agrona's {@link DeadlineTimerWheel} with 1 ms
 * ticks. As in StateFun, a delayed message lives in the <em>sender's</em> partition until it fires; its
 * cancellation token is scoped to the sender's address. Partition-thread only.
 */
final class DelayedMessages {
    private static final int TICKS_PER_WHEEL = 1024;
    /**
     * Linked when the class loads, not at the first snapshot: linking a method reference there took ~15 ms of a
     * partition's snapshot pause.
     */
    private static final java.util.Comparator<io.stator.runtime.snapshot.PartitionSnapshot.Timer> BY_DUE_TIME =
            java.util.Comparator.comparingLong(io.stator.runtime.snapshot.PartitionSnapshot.Timer::dueAtMillis);

    /** A pending delayed message. */
    record Pending(long timerId, long dueAtMillis, Address sender, String token, Envelope message) {
    }

    private record TokenKey(Address sender, String token) {
    }

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Pending> byTimerId = new Long2ObjectHashMap<>();
    private final Map<TokenKey, Pending> byToken = new HashMap<>();
    private final DeadlineTimerWheel.TimerHandler expiry = this::onExpiry;
    private Consumer<Envelope> firing;

    DelayedMessages(long startMillis) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, startMillis, 1, TICKS_PER_WHEEL);
    }

    /** @return whether {@code sender} has a pending message under {@code token} */
    boolean isPending(Address sender, String token) {
        return byToken.containsKey(new TokenKey(sender, token));
    }

    /**
     * Checks a finished call's delayed messages and cancellations, in call order, against the tokens pending now.
     *
     * @return why the call reuses a pending cancellation token, or null if it does not
     */
    String reusedToken(Invocation inv) {
        if (inv.delayedOps.isEmpty()) {
            return null;
        }
        Address self = inv.message.target;
        HashMap<String, Boolean> pendingAfterOp = null;
        for (Invocation.DelayedOp op : inv.delayedOps) {
            if (op.token() == null) {
                continue;
            }
            if (pendingAfterOp == null) {
                pendingAfterOp = new HashMap<>();
            }
            Boolean known = pendingAfterOp.get(op.token());
            boolean isPending = known != null ? known : isPending(self, op.token());
            if (op.message() != null && isPending) {
                return "function " + inv.function.typeName() + ", address " + self + " reuses cancellation token '"
                        + op.token() + "' while its delayed message is still pending";
            }
            pendingAfterOp.put(op.token(), op.message() != null);
        }
        return null;
    }

    /** Schedules a message; the caller has checked that the token (if any) is not pending. */
    void schedule(Address sender, String token, long dueAtMillis, Envelope message) {
        long timerId = wheel.scheduleTimer(dueAtMillis);
        Pending p = new Pending(timerId, dueAtMillis, sender, token, message);
        byTimerId.put(timerId, p);
        if (token != null) {
            byToken.put(new TokenKey(sender, token), p);
        }
    }

    /** Cancels the pending message of {@code sender} under {@code token}; unknown tokens are ignored. */
    void cancel(Address sender, String token) {
        Pending p = byToken.remove(new TokenKey(sender, token));
        if (p != null) {
            wheel.cancelTimer(p.timerId());
            byTimerId.remove(p.timerId());
        }
    }

    /** Hands every message due at {@code nowMillis} (at most {@code limit}) to {@code fire}. */
    int poll(long nowMillis, Consumer<Envelope> fire, int limit) {
        if (byTimerId.isEmpty()) {
            return 0;
        }
        this.firing = fire;
        // A poll expires the current tick and then moves on by one tick only; catch up tick by tick so a clock
        // that jumped (a virtual clock, a stalled thread) still fires everything due.
        int fired = 0;
        while (fired < limit && !byTimerId.isEmpty()) {
            boolean onCurrentTick = wheel.currentTickTime() > nowMillis; // the tick that contains nowMillis
            fired += wheel.poll(nowMillis, expiry, limit - fired);
            if (onCurrentTick) {
                break;
            }
        }
        return fired;
    }

    /** @return every pending delayed message, for a snapshot */
    java.util.List<io.stator.runtime.snapshot.PartitionSnapshot.Timer> snapshot() {
        java.util.List<io.stator.runtime.snapshot.PartitionSnapshot.Timer> out = new java.util.ArrayList<>(byTimerId.size());
        for (Pending p : byTimerId.values()) {
            out.add(new io.stator.runtime.snapshot.PartitionSnapshot.Timer(p.dueAtMillis(), p.token(), p.message()));
        }
        out.sort(BY_DUE_TIME);
        return out;
    }

    int size() {
        return byTimerId.size();
    }

    private boolean onExpiry(TimeUnit unit, long now, long timerId) {
        Pending p = byTimerId.remove(timerId);
        if (p == null) {
            return true;
        }
        if (p.token() != null) {
            byToken.remove(new TokenKey(p.sender(), p.token()));
        }
        firing.accept(p.message());
        return true;
    }
}
