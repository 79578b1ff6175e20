package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The timers come out due first, in the order they were set when due together, whatever was removed meanwhile. */
class TimerQueueTest {
    private static final Address SELF = new Address(TypeName.typeNameOf("test", "fn"), "a");

    private record Queued(long due, long id, int slot) {
    }

    private static final Comparator<Queued> ORDER =
            Comparator.comparingLong(Queued::due).thenComparingLong(Queued::id);

    @Test
    void addsRemovesAndPollsAgreeWithASortedSet() {
        Random random = new Random(42);
        TimerQueue queue = new TimerQueue();
        TreeSet<Queued> expected = new TreeSet<>(ORDER);
        List<Queued> queued = new ArrayList<>();
        ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
        int nextSlot = 0;
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(10);
            if (action < 5) {
                int slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.pop(); // slots are used again
                Queued q = new Queued(now + random.nextInt(1_000), step, slot); // many share a due time
                queue.add(q.slot(), q.due(), q.id());
                queued.add(q);
                expected.add(q);
            } else if (action < 8 && !queued.isEmpty()) {
                Queued q = queued.remove(random.nextInt(queued.size()));
                queue.remove(q.slot());
                queue.remove(q.slot()); // a second time does nothing
                expected.remove(q);
                freeSlots.push(q.slot());
            } else {
                now += random.nextInt(50);
                int slot;
                while ((slot = queue.pollDue(now)) >= 0) {
                    Queued first = expected.pollFirst();
                    assertEquals(first.slot(), slot);
                    queued.remove(first);
                    freeSlots.push(slot);
                }
                assertEquals(true, expected.isEmpty() || expected.first().due() > now);
            }
            assertEquals(expected.size(), queue.size());
        }
    }

    /** The timer wheel of before sized every spoke for this one and asked for gigabytes: the test JVM has one. */
    @Test
    void aQuarterMillionTimersDueInTheSameMillisecondComeOutInTheOrderSet() {
        DelayedMessages delayed = new DelayedMessages();
        for (int i = 0; i < 250_000; i++) {
            delayed.schedule(null, 5_000, new Envelope(0, SELF, SELF, TypeName.typeNameOf("test", "v"),
                    Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertEquals(0, delayed.poll(4_999, e -> { }, Integer.MAX_VALUE));
        int[] next = {0};
        assertEquals(250_000, delayed.poll(3_600_000, e -> assertEquals(Integer.toString(next[0]++),
                new String(e.rawValue(), java.nio.charset.StandardCharsets.UTF_8)), Integer.MAX_VALUE));
        assertEquals(0, delayed.size());
        assertEquals(-1, new TimerQueue().pollDue(Long.MAX_VALUE));

        // Emptied after a burst, the partition starts small again; timers and tokens work as before
        for (String id : List.of("x", "y", "z")) {
            Address self = new Address(TypeName.typeNameOf("test", "fn"), id);
            delayed.schedule("t", 6_000, new Envelope(0, self, self, TypeName.typeNameOf("test", "v"), new byte[0]));
        }
        Address y = new Address(TypeName.typeNameOf("test", "fn"), "y");
        assertEquals(true, delayed.isPending(y, "t"));
        delayed.cancel(y, "t");
        assertEquals(false, delayed.isPending(y, "t"));
        List<String> fired = new ArrayList<>();
        assertEquals(2, delayed.poll(6_000, e -> fired.add(e.targetAddress().id()), 10));
        assertEquals(List.of("x", "z"), fired);
    }

    /** After most of a burst left, the rest moves to arrays of its size; their order and tokens hold. */
    @Test
    void theTimersLeftAfterABurstKeepTheirOrderAndTokensWhenTheArraysShrink() {
        DelayedMessages delayed = new DelayedMessages();
        TypeName fn = TypeName.typeNameOf("test", "fn");
        for (int i = 0; i < 100_000; i++) {
            Address self = new Address(fn, "a" + i);
            delayed.schedule("t", 10_000 - i % 7, new Envelope(0, self, self, TypeName.typeNameOf("test", "v"),
                    new byte[0]));
        }
        for (int i = 0; i < 100_000; i++) {
            if (i % 10_000 != 0) { // all but ten; the arrays shrink on the way
                delayed.cancel(new Address(fn, "a" + i), "t");
            }
        }
        assertEquals(10, delayed.size());
        assertEquals(true, delayed.isPending(new Address(fn, "a30000"), "t"));
        assertEquals(false, delayed.isPending(new Address(fn, "a30001"), "t"));
        delayed.cancel(new Address(fn, "a30000"), "t");
        List<String> fired = new ArrayList<>();
        assertEquals(9, delayed.poll(20_000, e -> fired.add(e.targetAddress().id()), 100));
        // due 10,000 - i % 7, then in the order set
        assertEquals(List.of("a50000", "a10000", "a80000", "a60000", "a40000", "a20000", "a90000", "a0", "a70000"),
                fired);
    }
}
