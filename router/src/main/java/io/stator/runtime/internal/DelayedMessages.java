package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.sdk.Address;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The delayed messages a partition's functions have sent, in due order ({@link TimerQueue}). As in StateFun, a
 * delayed message lives in the <em>sender's</em> partition until it fires; its cancellation token is scoped to the
 * sender's address ({@link TimerTokens}). Partition-thread only.
 *
 * <p>Each pending timer is one byte array, its timer-file entry ({@link PartitionSnapshot.Timer}), in a slot; the
 * queue and the token index hold slot numbers in primitive arrays. A node with a million timers pending (an idle
 * expiry per user) keeps about 190 bytes and one object per timer, not 300 bytes in eight objects, and its
 * collector has a million leaves to move instead of eight million objects to trace. The message is decoded when
 * it fires.
 *
 * <p>Snapshots record what changed since the previous one ({@link #capture}): the timers set, and the ids of those
 * that fired or were cancelled. A partition with a million timers pending for minutes then hands a snapshot a
 * few lists, not a million records to copy and encode every second.
 */
final class DelayedMessages {
    /** Changes the logs may hold beyond twice the pending timers before the next capture lists them all instead. */
    static final int SLACK_CHANGES = 65_536;
    /**
     * Slots a partition keeps arrays for however few timers are pending: past it, once fewer than an eighth of
     * the slots ever used hold a timer, the arrays are made again for those alone ({@link #compact}).
     */
    static final int KEPT_SLOTS = 4096;
    private static final java.util.Comparator<PartitionSnapshot.Timer> BY_ID =
            java.util.Comparator.comparingLong(PartitionSnapshot.Timer::id);

    private TimerQueue queue = new TimerQueue();
    private TimerTokens tokens = new TimerTokens(this::holds);
    /** By slot: the pending timer's entry, or null for a free slot. */
    private byte[][] entries = new byte[64][];
    /** Slots freed, to be used again before {@link #unused}. */
    private int[] free = new int[64];
    private int freeCount;
    /** The first slot never used. */
    private int unused;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    /** Wrapped around one entry at a time, to read or write it. */
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    /** The last token encoded, and its bytes: most functions use a few constant tokens. */
    private String lastToken;
    private byte[] lastTokenBytes;
    private long nextId;
    /** Timers set since the last capture, and ids of timers removed since (fired or cancelled). */
    private ArrayList<byte[]> added = new ArrayList<>();
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
        return tokens.find(TimerTokens.hash(sender, token), sender, token) >= 0;
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
                put(t.entry(), restoredHash(t));
                nextId = Math.max(nextId, t.id() + 1);
            } else {
                PartitionSnapshot.Timer renumbered = t.withId(nextId++);
                put(renumbered.entry(), restoredHash(t));
                numbered.add(renumbered);
            }
        }
        captureAll = false;
        added.clear();
        removed.clear();
        return numbered;
    }

    /** @return the {@link TimerTokens#hash} of a restored timer, from its bytes; 0 without a token */
    private static int restoredHash(PartitionSnapshot.Timer t) {
        byte[] entry = t.entry();
        int tokenLength = PartitionSnapshot.Timer.tokenLength(entry);
        return tokenLength < 0 ? 0 : TimerTokens.hash(t.senderHash(),
                Utf8.stringHash(entry, PartitionSnapshot.Timer.TOKEN_OFFSET, tokenLength));
    }

    /**
     * Schedules a message; the caller has checked that the token (if any) is not pending. The message's caller is
     * the sender, which owns the token.
     */
    void schedule(String token, long dueAtMillis, Envelope message) {
        byte[] entry = PartitionSnapshot.Timer.encode(nextId++, dueAtMillis, tokenBytes(token), message, codec, view);
        put(entry, token == null ? 0 : TimerTokens.hash(message.caller, token));
        if (!captureAll) {
            added.add(entry);
            boundLogs();
        }
    }

    private byte[] tokenBytes(String token) {
        if (token == null) {
            return null;
        }
        if (!token.equals(lastToken)) {
            lastToken = token;
            lastTokenBytes = token.getBytes(StandardCharsets.UTF_8);
        }
        return lastTokenBytes;
    }

    /**
     * Holds and queues {@code entry}.
     *
     * @param tokenHash its token's {@link TimerTokens#hash}, if it has a token
     */
    private void put(byte[] entry, int tokenHash) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (unused == entries.length) {
                entries = Arrays.copyOf(entries, unused * 2);
            }
            slot = unused++;
        }
        entries[slot] = entry;
        queue.add(slot, PartitionSnapshot.Timer.dueAt(entry), PartitionSnapshot.Timer.id(entry));
        if (PartitionSnapshot.Timer.tokenLength(entry) >= 0) {
            tokens.put(tokenHash, slot);
        }
    }

    /** Cancels the pending message of {@code sender} under {@code token}; unknown tokens are ignored. */
    void cancel(Address sender, String token) {
        int slot = tokens.find(TimerTokens.hash(sender, token), sender, token);
        if (slot >= 0) {
            queue.remove(slot);
            release(slot);
        }
    }

    /**
     * Hands every message due at {@code nowMillis} (at most {@code limit}), earliest first, to {@code fire}: also
     * after the clock jumped (a virtual clock, a stalled thread, a restart long after they were due).
     */
    int poll(long nowMillis, Consumer<Envelope> fire, int limit) {
        int fired = 0;
        int slot;
        while (fired < limit && (slot = queue.pollDue(nowMillis)) >= 0) {
            byte[] entry = entries[slot];
            release(slot);
            view.wrap(entry);
            fire.accept(codec.decode(view, PartitionSnapshot.Timer.envelopeOffset(entry)));
            fired++;
        }
        return fired;
    }

    /** Forgets the timer in {@code slot}, which has left the queue, and logs its removal. */
    private void release(int slot) {
        byte[] entry = entries[slot];
        if (PartitionSnapshot.Timer.tokenLength(entry) >= 0) {
            tokens.remove(slot);
        }
        entries[slot] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = slot;
        if (unused > KEPT_SLOTS && queue.size() < unused / 8) {
            compact();
        }
        if (!captureAll) {
            removed.addLong(PartitionSnapshot.Timer.id(entry));
            boundLogs();
        }
    }

    /**
     * Puts the pending timers into new arrays sized for them, so that a burst of a million timers does not keep
     * its arrays (~40 MB) after it. Costs a pass over the pending ones, after at least seven times as many left.
     */
    private void compact() {
        byte[][] pending = new byte[queue.size()][];
        for (int i = 0; i < pending.length; i++) {
            pending[i] = entries[queue.slotAt(i)];
        }
        queue = new TimerQueue();
        tokens = new TimerTokens(this::holds);
        entries = new byte[Math.max(64, 2 * pending.length)][];
        free = new int[64];
        freeCount = 0;
        unused = 0;
        for (byte[] entry : pending) {
            put(entry, restoredHash(PartitionSnapshot.Timer.of(entry)));
        }
    }

    /** @return whether the timer in {@code slot} is {@code sender}'s under {@code token} ({@link TimerTokens.Keys}) */
    private boolean holds(int slot, Address sender, String token) {
        byte[] entry = entries[slot];
        int tokenLength = PartitionSnapshot.Timer.tokenLength(entry);
        if (tokenLength < 0 || !Utf8.equals(entry, PartitionSnapshot.Timer.TOKEN_OFFSET, tokenLength, token)) {
            return false;
        }
        view.wrap(entry);
        int at = EnvelopeCodec.callerAt(view, PartitionSnapshot.Timer.envelopeOffset(entry));
        if (at < 0) {
            return false;
        }
        byte[] type = sender.type().asUtf8Bytes();
        int typeLength = view.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (!Arrays.equals(entry, at + 2, at + 2 + typeLength, type, 0, type.length)) {
            return false;
        }
        int idAt = at + 2 + typeLength;
        return Utf8.equals(entry, idAt + 2, view.getShort(idAt, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, sender.id());
    }

    /**
     * What a snapshot records of the delayed messages: what changed since the last capture, or every pending one
     * if {@code all} (or if this is the first capture, or the changes outgrew the timers). Either way the logs start
     * over. The lists handed out are not touched again, so another thread may encode them.
     */
    PartitionSnapshot.TimerLog capture(boolean all) {
        PartitionSnapshot.TimerLog log;
        if (all || captureAll) {
            byte[][] pending = new byte[queue.size()][];
            for (int i = 0; i < pending.length; i++) {
                pending[i] = entries[queue.slotAt(i)];
            }
            log = PartitionSnapshot.TimerLog.of(PartitionSnapshot.Timer.listOf(Arrays.asList(pending)));
            added.clear();
        } else {
            log = new PartitionSnapshot.TimerLog(PartitionSnapshot.Timer.listOf(added), removed.toLongArray(), false,
                    queue.size(), new long[0], 0);
            added = new ArrayList<>(); // the list handed out is not touched again
        }
        removed.clear();
        captureAll = false;
        return log;
    }

    int size() {
        return queue.size();
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
