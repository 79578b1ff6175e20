package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The timers come out due first, in the order they were set when due together, whatever was removed meanwhile. */
class TimerQueueTest {
    private static final Address SELF = new Address(TypeName.typeNameOf("test", "fn"), "a");
    private static final Comparator<PartitionSnapshot.Timer> ORDER =
            Comparator.comparingLong(PartitionSnapshot.Timer::dueAtMillis).thenComparingLong(PartitionSnapshot.Timer::id);

    @Test
    void addsRemovesAndPollsAgreeWithASortedSet() {
        Random random = new Random(42);
        TimerQueue queue = new TimerQueue();
        TreeSet<PartitionSnapshot.Timer> expected = new TreeSet<>(ORDER);
        List<TimerQueue.Node> nodes = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(10);
            if (action < 5) {
                PartitionSnapshot.Timer t = timer(step, now + random.nextInt(1_000)); // many share a due time
                nodes.add(queue.add(t));
                expected.add(t);
            } else if (action < 8 && !nodes.isEmpty()) {
                TimerQueue.Node n = nodes.remove(random.nextInt(nodes.size()));
                queue.remove(n);
                queue.remove(n); // a second time does nothing
                expected.remove(n.timer);
            } else {
                now += random.nextInt(50);
                TimerQueue.Node n;
                while ((n = queue.pollDue(now)) != null) {
                    assertEquals(expected.pollFirst(), n.timer);
                    nodes.remove(n);
                }
                assertEquals(true, expected.isEmpty() || expected.first().dueAtMillis() > now);
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
        assertNull(new TimerQueue().pollDue(Long.MAX_VALUE));
    }

    private static PartitionSnapshot.Timer timer(long id, long due) {
        return new PartitionSnapshot.Timer(id, due, null, new Envelope(0, SELF, SELF, TypeName.typeNameOf("test", "v"),
                new byte[0]));
    }
}
