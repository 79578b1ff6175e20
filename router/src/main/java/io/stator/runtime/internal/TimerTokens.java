package io.stator.runtime.internal;

import io.stator.sdk.Address;
import java.util.Arrays;

/**
 * Which slot holds the pending timer of a sender's cancellation token ({@link DelayedMessages}): an open-addressing
 * table of slot numbers with linear probing, so that a million tokens cost two int arrays rather than a key and a
 * map node each. The table keeps only hashes and slots; whether a slot holds a given sender and token is asked of
 * the {@link Keys} that own the timers. Partition-thread only.
 */
final class TimerTokens {
    /** What the slots hold. */
    interface Keys {
        /** @return whether the timer in {@code slot} is {@code sender}'s under {@code token} */
        boolean holds(int slot, Address sender, String token);
    }

    private static final int EMPTY = 0;

    private final Keys keys;
    /** Slot + 1 per cell, {@link #EMPTY} for none. */
    private int[] cells = new int[64];
    /** 32 minus the log2 of the cells' count. */
    private int shift = 26;
    /** By slot: the hash it was put under. */
    private int[] hashes = new int[64];
    private int size;

    TimerTokens(Keys keys) {
        this.keys = keys;
    }

    /** @return the hash a sender's token is put and found under */
    static int hash(Address sender, String token) {
        return hash(sender.hashCode(), token.hashCode());
    }

    /** @return the hash of a sender's token from the sender's {@link Address#hashCode} and the token's */
    static int hash(int senderHash, int tokenHash) {
        int h = 31 * senderHash + tokenHash;
        return h ^ (h >>> 16);
    }

    /** @return the slot of {@code sender}'s timer under {@code token} (whose {@link #hash} is {@code hash}), or -1 */
    int find(int hash, Address sender, String token) {
        int mask = cells.length - 1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            int cell = cells[i];
            if (cell == EMPTY) {
                return -1;
            }
            int slot = cell - 1;
            if (hashes[slot] == hash && keys.holds(slot, sender, token)) {
                return slot;
            }
        }
    }

    /** Records that {@code slot} holds a token whose {@link #hash} is {@code hash}; the token must not be present. */
    void put(int hash, int slot) {
        if (2 * (size + 1) > cells.length) {
            rehash(cells.length * 2);
        }
        if (slot >= hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.max(slot + 1, hashes.length * 2));
        }
        hashes[slot] = hash;
        insert(slot);
        size++;
    }

    /** Forgets the token of {@code slot}, which must have been {@link #put}. */
    void remove(int slot) {
        int mask = cells.length - 1;
        int i = home(hashes[slot]);
        while (cells[i] != slot + 1) {
            if (cells[i] == EMPTY) {
                throw new IllegalStateException("slot " + slot + " holds no token");
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move up each later cell of the run that may sit at the hole, so that a probe
        // never stops at an empty cell before the slot it looks for (no tombstones)
        int hole = i;
        for (int j = (hole + 1) & mask; cells[j] != EMPTY; j = (j + 1) & mask) {
            int home = home(hashes[cells[j] - 1]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                cells[hole] = cells[j];
                hole = j;
            }
        }
        cells[hole] = EMPTY;
        size--;
    }

    int size() {
        return size;
    }

    private void insert(int slot) {
        int mask = cells.length - 1;
        int i = home(hashes[slot]);
        while (cells[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        cells[i] = slot + 1;
    }

    private void rehash(int capacity) {
        int[] old = cells;
        cells = new int[capacity];
        shift = Integer.numberOfLeadingZeros(capacity) + 1;
        for (int cell : old) {
            if (cell != EMPTY) {
                insert(cell - 1);
            }
        }
    }

    /** @return the cell a hash's probe starts at: the top bits of a Fibonacci product, which mixes every bit in */
    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }
}
