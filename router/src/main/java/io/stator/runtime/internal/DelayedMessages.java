package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.sdk.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.agrona.collections.LongArrayList;

/**
 * The delayed messages a partition's functions have sent, in due order ({@link TimerQueue}). As in StateFun, a
 * delayed message lives in the <em>sender's</em> partition until it fires; its cancellation token is scoped to the
 * sender's address. Partition-thread only.
 *
 * <p>Snapshots record what changed since the previous one ({@link #capture}): the timers set, and the ids of those
 * that fired or were cancelled. A partition with a million timers pending for minutes then hands a snapshot a
 * few lists, not a million records to copy and encode every second.
 */
final class DelayedMessages {
    /** Changes the logs may hold beyond twice the pending timers before the next capture lists them all instead. */
    static final int SLACK_CHANGES = 65_536;
    private static final java.util.Comparator<PartitionSnapshot.Timer> BY_ID =
            java.util.Comparator.comparingLong(PartitionSnapshot.Timer::id);

    private record TokenKey(Address sender, String token) {
    }

    private final TimerQueue queue = new TimerQueue();
    private final Map<TokenKey, TimerQueue.Node> byToken = new HashMap<>();
    private long nextId;
    /** Timers set since the last capture, and ids of timers removed since (fired or cancelled). */
    private ArrayList<PartitionSnapshot.Timer> added = new ArrayList<>();
    private final LongArrayList removed = new LongArrayList();
    /** Whether the next capture must list every timer: the first does, and one after the logs were dropped. */
    private boolean captureAll = true;

    /**
     * @return when a message sent at {@code nowMillis} with a delay of {@code delayMillis} (not negative) is due; a
     *     delay past the end of time (a function's {@code Long.MAX_VALUE}) is due never, not in the past
     */
    static long dueAt(long nowMillis, long delayMillis) {
        long due = nowMillis + delayMillis;
        return due < nowMillis ? Long.MAX_VALUE : due;
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
        List<PartitionSnapshot.Timer> inOrder = timers;
        if (!keepIds) { // numbered anew in the order they were set, so that timers due together still fire so
            inOrder = new ArrayList<>(timers);
            inOrder.sort(BY_ID);
        }
        for (PartitionSnapshot.Timer t : inOrder) {
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
        TimerQueue.Node n = queue.add(timer);
        if (timer.token() != null) {
            byToken.put(new TokenKey(timer.message().caller, timer.token()), n);
        }
    }

    /** Cancels the pending message of {@code sender} under {@code token}; unknown tokens are ignored. */
    void cancel(Address sender, String token) {
        TimerQueue.Node n = byToken.remove(new TokenKey(sender, token));
        if (n != null) {
            queue.remove(n);
            logRemoval(n.timer);
        }
    }

    /**
     * Hands every message due at {@code nowMillis} (at most {@code limit}), earliest first, to {@code fire}: also
     * after the clock jumped (a virtual clock, a stalled thread, a restart long after they were due).
     */
    int poll(long nowMillis, Consumer<Envelope> fire, int limit) {
        int fired = 0;
        TimerQueue.Node n;
        while (fired < limit && (n = queue.pollDue(nowMillis)) != null) {
            PartitionSnapshot.Timer t = n.timer;
            if (t.token() != null) {
                byToken.remove(new TokenKey(t.message().caller, t.token()));
            }
            logRemoval(t);
            fire.accept(t.message());
            fired++;
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
            log = PartitionSnapshot.TimerLog.of(queue.timers());
            added.clear();
        } else {
            log = new PartitionSnapshot.TimerLog(added, removed.toLongArray(), false, queue.size(), new long[0], 0);
            added = new ArrayList<>();
        }
        removed.clear();
        captureAll = false;
        return log;
    }

    int size() {
        return queue.size();
    }

    private void logRemoval(PartitionSnapshot.Timer t) {
        if (!captureAll) {
            removed.addLong(t.id());
            boundLogs();
        }
    }

    /**
     * Without snapshots for a long while (an interval of 0 takes them only on request), the logs would keep every
     * timer ever set; past a bound they are dropped, and the next capture lists the pending timers instead.
     */
    private void boundLogs() {
        if (added.size() + removed.size() > 2L * queue.size() + SLACK_CHANGES) {
            added.clear();
            removed.clear();
            captureAll = true;
        }
    }
}
