package io.stator.runtime.internal;

import io.stator.sdk.Address;
import io.stator.runtime.snapshot.PartitionSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

/**
 * The delayed messages a partition's functions have sent, on Agrona's {@link DeadlineTimerWheel} with 1 ms
 * ticks. As in StateFun, a delayed message lives in the <em>sender's</em> partition until it fires; its
 * cancellation token is scoped to the sender's address. Partition-thread only.
 *
 * <p>Snapshots record what changed since the previous one ({@link #capture}): the timers set, and the ids of those
 * that fired or were cancelled. A partition with a million timers pending for minutes then hands a snapshot a
 * few lists, not a million records to copy and encode every second.
 */
final class DelayedMessages {
    private static final int TICKS_PER_WHEEL = 1024;
    /**
     * The latest deadline the wheel takes: it marks a free slot with {@code Long.MAX_VALUE}, so timers due then
     * would all get the same slot, and the same id (each overwriting the last in {@link #byWheelId}).
     */
    static final long NEVER = Long.MAX_VALUE - 1;
    /** Changes the logs may hold beyond twice the pending timers before the next capture lists them all instead. */
    static final int SLACK_CHANGES = 65_536;

    /** A pending delayed message: what a snapshot records of it, and its place on the wheel. */
    private static final class Pending {
        final PartitionSnapshot.Timer timer;
        final long wheelId;

        Pending(PartitionSnapshot.Timer timer, long wheelId) {
            this.timer = timer;
            this.wheelId = wheelId;
        }
    }

    private record TokenKey(Address sender, String token) {
    }

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Pending> byWheelId = new Long2ObjectHashMap<>();
    private final Map<TokenKey, Pending> byToken = new HashMap<>();
    private final DeadlineTimerWheel.TimerHandler expiry = this::onExpiry;
    private Consumer<Envelope> firing;
    private long nextId;
    /** Timers set since the last capture, and ids of timers removed since (fired or cancelled). */
    private ArrayList<PartitionSnapshot.Timer> added = new ArrayList<>();
    private final LongArrayList removed = new LongArrayList();
    /** Whether the next capture must list every timer: the first does, and one after the logs were dropped. */
    private boolean captureAll = true;

    DelayedMessages(long startMillis) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, startMillis, 1, TICKS_PER_WHEEL);
    }

    /**
     * @return when a message sent at {@code nowMillis} with a delay of {@code delayMillis} (not negative) is due; a
     *     delay past the end of time (a function's {@code Long.MAX_VALUE}) is due never, not in the past
     */
    static long dueAt(long nowMillis, long delayMillis) {
        long due = nowMillis + delayMillis;
        return due < nowMillis ? NEVER : Math.min(due, NEVER);
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
            if (op.message() != null) { // only a send can reuse a token; a cancellation just leaves it free
                Boolean known = pendingAfterOp.get(op.token());
                // The index is asked only when no earlier op of this call decided: re-arming (cancel, then send
                // with the same token) looks nothing up here
                if (known != null ? known : isPending(self, op.token())) {
                    return "function " + inv.function.typeName() + ", address " + self + " reuses cancellation token '"
                            + op.token() + "' while its delayed message is still pending";
                }
            }
            pendingAfterOp.put(op.token(), op.message() != null);
        }
        return null;
    }

    /**
     * Puts restored timers back before the partition starts. The next capture lists what changed since: the
     * caller hands the timers as they are numbered now to whoever stores the snapshots, as their base.
     *
     * @param keepIds whether they keep their ids, as they may when they all come from one partition's snapshot
     *                (whose files hold them under those ids); else they are numbered anew
     * @return the timers as numbered now
     */
    List<PartitionSnapshot.Timer> restore(List<PartitionSnapshot.Timer> timers, boolean keepIds) {
        List<PartitionSnapshot.Timer> numbered = keepIds ? timers : new ArrayList<>(timers.size());
        for (PartitionSnapshot.Timer t : timers) {
            if (keepIds) {
                put(t);
                nextId = Math.max(nextId, t.id() + 1);
            } else {
                PartitionSnapshot.Timer renumbered = new PartitionSnapshot.Timer(nextId++, t.dueAtMillis(), t.token(),
                        t.message());
                put(renumbered);
                numbered.add(renumbered);
            }
        }
        captureAll = false;
        added.clear();
        removed.clear();
        return numbered;
    }

    /**
     * Schedules a message; the caller has checked that the token (if any) is not pending. The message's caller is
     * the sender, which owns the token.
     */
    void schedule(String token, long dueAtMillis, Envelope message) {
        PartitionSnapshot.Timer timer = new PartitionSnapshot.Timer(nextId++, dueAtMillis, token, message);
        put(timer);
        if (!captureAll) {
            added.add(timer);
            boundLogs();
        }
    }

    private void put(PartitionSnapshot.Timer timer) {
        Pending p = new Pending(timer, wheel.scheduleTimer(Math.min(timer.dueAtMillis(), NEVER)));
        byWheelId.put(p.wheelId, p);
        if (timer.token() != null) {
            byToken.put(new TokenKey(timer.message().caller, timer.token()), p);
        }
    }

    /** Cancels the pending message of {@code sender} under {@code token}; unknown tokens are ignored. */
    void cancel(Address sender, String token) {
        Pending p = byToken.remove(new TokenKey(sender, token));
        if (p != null) {
            wheel.cancelTimer(p.wheelId);
            byWheelId.remove(p.wheelId);
            logRemoval(p);
        }
    }

    /** Hands every message due at {@code nowMillis} (at most {@code limit}) to {@code fire}. */
    int poll(long nowMillis, Consumer<Envelope> fire, int limit) {
        if (byWheelId.isEmpty()) {
            return 0;
        }
        this.firing = fire;
        // A poll expires the current tick and then moves on by one tick only; catch up tick by tick so a clock
        // that jumped (a virtual clock, a stalled thread) still fires everything due.
        int fired = 0;
        while (fired < limit && !byWheelId.isEmpty()) {
            boolean onCurrentTick = wheel.currentTickTime() > nowMillis; // the tick that contains nowMillis
            fired += wheel.poll(nowMillis, expiry, limit - fired);
            if (onCurrentTick) {
                break;
            }
        }
        return fired;
    }

    /**
     * What a snapshot records of the delayed messages: what changed since the last capture, or every pending one
     * if {@code all} (or if this is the first capture, or the changes outgrew the timers). Either way the logs start
     * over. The lists handed out are not touched again, so another thread may encode them.
     */
    PartitionSnapshot.TimerLog capture(boolean all) {
        PartitionSnapshot.TimerLog log;
        if (all || captureAll) {
            ArrayList<PartitionSnapshot.Timer> every = new ArrayList<>(byWheelId.size());
            for (Pending p : byWheelId.values()) {
                every.add(p.timer);
            }
            log = PartitionSnapshot.TimerLog.of(every);
            added.clear();
        } else {
            log = new PartitionSnapshot.TimerLog(added, removed.toLongArray(), false, byWheelId.size(), new long[0],
                    0);
            added = new ArrayList<>();
        }
        removed.clear();
        captureAll = false;
        return log;
    }

    int size() {
        return byWheelId.size();
    }

    private boolean onExpiry(TimeUnit unit, long now, long wheelId) {
        Pending p = byWheelId.remove(wheelId);
        if (p == null) {
            return true;
        }
        if (p.timer.token() != null) {
            byToken.remove(new TokenKey(p.timer.message().caller, p.timer.token()));
        }
        logRemoval(p);
        firing.accept(p.timer.message());
        return true;
    }

    private void logRemoval(Pending p) {
        if (!captureAll) {
            removed.addLong(p.timer.id());
            boundLogs();
        }
    }

    /**
     * Without snapshots for a long while (an interval of 0 takes them only on request), the logs would keep every
     * timer ever set; past a bound they are dropped, and the next capture lists the pending timers instead.
     */
    private void boundLogs() {
        if (added.size() + removed.size() > 2L * byWheelId.size() + SLACK_CHANGES) {
            added.clear();
            removed.clear();
            captureAll = true;
        }
    }
}
