package io.stator.runtime.internal;

import java.util.Arrays;

/**
 * A partition's pending timers in due order: a binary min-heap on (due time, id) of the slots that hold them
 * ({@link DelayedMessages}), kept in primitive arrays. A comparison reads two adjacent array elements instead of
 * following a pointer to a node per timer, and the heap holds no object for the collector to trace: a million
 * pending timers are a few arrays. Each slot knows its place, so a cancelled timer leaves in O(log n). Timers due
 * in the same millisecond come out in the order they were set (by id). (It replaced Agrona's timer wheel, which
 * sizes every spoke for its fullest one: the half million timers a restore found overdue all went to the current
 * tick's spoke, and the wheel asked for gigabytes.) Partition-thread only.
 */
final class TimerQueue {
    private static final int NOT_QUEUED = -1;

    /** The heap, one timer per index in three arrays. */
    private long[] due = new long[64];
    private long[] ids = new long[64];
    private int[] slots = new int[64];
    /** By slot: where it is in the heap, or {@link #NOT_QUEUED}. */
    private int[] positions = new int[64];
    private int size;

    TimerQueue() {
        Arrays.fill(positions, NOT_QUEUED);
    }

    /** Queues the timer held in {@code slot}, which must not be queued already. */
    void add(int slot, long dueAtMillis, long id) {
        if (size == due.length) {
            int grown = size * 2;
            due = Arrays.copyOf(due, grown);
            ids = Arrays.copyOf(ids, grown);
            slots = Arrays.copyOf(slots, grown);
        }
        if (slot >= positions.length) {
            int old = positions.length;
            positions = Arrays.copyOf(positions, Math.max(slot + 1, old * 2));
            Arrays.fill(positions, old, positions.length, NOT_QUEUED);
        }
        if (positions[slot] != NOT_QUEUED) {
            throw new IllegalStateException("slot " + slot + " is queued already");
        }
        siftUp(size++, dueAtMillis, id, slot);
    }

    /** Takes the timer in {@code slot} out of the queue; nothing happens if it is not queued. */
    void remove(int slot) {
        int i = slot < positions.length ? positions[slot] : NOT_QUEUED;
        if (i == NOT_QUEUED) {
            return;
        }
        positions[slot] = NOT_QUEUED;
        size--;
        if (i == size) {
            return;
        }
        long lastDue = due[size];
        long lastId = ids[size];
        int lastSlot = slots[size];
        if (i > 0 && before(lastDue, lastId, due[(i - 1) >>> 1], ids[(i - 1) >>> 1])) {
            siftUp(i, lastDue, lastId, lastSlot);
        } else {
            siftDown(i, lastDue, lastId, lastSlot);
        }
    }

    /** @return the slot of the timer due first, taken out of the queue, if it is due at {@code nowMillis}; else -1 */
    int pollDue(long nowMillis) {
        if (size == 0 || due[0] > nowMillis) {
            return -1;
        }
        int first = slots[0];
        remove(first);
        return first;
    }

    int size() {
        return size;
    }

    /** @return the slot at heap index {@code i} (below {@link #size}): a walk over every queued slot, in no order */
    int slotAt(int i) {
        return slots[i];
    }

    private static boolean before(long dueA, long idA, long dueB, long idB) {
        return dueA < dueB || (dueA == dueB && idA < idB);
    }

    /** Puts the timer into the hole at {@code i}, moving it up past later parents. */
    private void siftUp(int i, long d, long id, int slot) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(d, id, due[parent], ids[parent])) {
                break;
            }
            place(i, due[parent], ids[parent], slots[parent]);
            i = parent;
        }
        place(i, d, id, slot);
    }

    /** Puts the timer into the hole at {@code i}, moving it down past earlier children. */
    private void siftDown(int i, long d, long id, int slot) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(due[right], ids[right], due[child], ids[child])) {
                child = right;
            }
            if (!before(due[child], ids[child], d, id)) {
                break;
            }
            place(i, due[child], ids[child], slots[child]);
            i = child;
        }
        place(i, d, id, slot);
    }

    private void place(int i, long d, long id, int slot) {
        due[i] = d;
        ids[i] = id;
        slots[i] = slot;
        positions[slot] = i;
    }
}
