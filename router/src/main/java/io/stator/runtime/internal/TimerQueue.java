package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A partition's pending timers in due order: a binary min-heap on (due time, id), each node knowing its place so
 * that a cancelled timer leaves in O(log n). It replaced Agrona's timer wheel, which sizes every spoke for its
 * fullest one: the half million timers a restore found overdue all went to the current tick's spoke, and the wheel
 * asked for gigabytes. Timers due in the same millisecond come out in the order they were set (by id).
 * Partition-thread only.
 */
final class TimerQueue {
    /** A timer in the queue. */
    static final class Node {
        final PartitionSnapshot.Timer timer;
        /** The due time, copied: the heap compares it without a hop to the timer. */
        final long due;
        /** Where the node is in the heap, or -1 once it left. */
        int index;

        Node(PartitionSnapshot.Timer timer) {
            this.timer = timer;
            this.due = timer.dueAtMillis();
        }
    }

    private Node[] heap = new Node[64];
    private int size;

    /** @return the node added for {@code timer} */
    Node add(PartitionSnapshot.Timer timer) {
        Node n = new Node(timer);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = n;
        n.index = size;
        size++;
        siftUp(n.index);
        return n;
    }

    /** Takes {@code n} out of the queue; nothing happens if it already left. */
    void remove(Node n) {
        int i = n.index;
        if (i < 0) {
            return;
        }
        n.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Node last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    /** @return the node due first, taken out of the queue, if it is due at {@code nowMillis}; else null */
    Node pollDue(long nowMillis) {
        if (size == 0 || heap[0].due > nowMillis) {
            return null;
        }
        Node first = heap[0];
        remove(first);
        return first;
    }

    int size() {
        return size;
    }

    /** @return every pending timer, in no particular order */
    List<PartitionSnapshot.Timer> timers() {
        List<PartitionSnapshot.Timer> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(heap[i].timer);
        }
        return out;
    }

    private static boolean before(Node a, Node b) {
        return a.due < b.due || (a.due == b.due && a.timer.id() < b.timer.id());
    }

    private void siftUp(int i) {
        Node n = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node p = heap[parent];
            if (!before(n, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = n;
        n.index = i;
    }

    private void siftDown(int i) {
        Node n = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Node c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[right];
            }
            if (!before(c, n)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = n;
        n.index = i;
    }
}
