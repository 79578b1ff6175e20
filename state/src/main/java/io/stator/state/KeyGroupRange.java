package io.stator.state;

/**
 * A contiguous, inclusive range of key groups owned by one partition.
 *
 * @param first the first key group, inclusive
 * @param last  the last key group, inclusive; {@code last < first} means empty
 */
public record KeyGroupRange(int first, int last) {
    /** @return whether {@code keyGroup} is in this range */
    public boolean contains(int keyGroup) {
        return keyGroup >= first && keyGroup <= last;
    }

    /** @return how many key groups the range holds */
    public int size() {
        return Math.max(0, last - first + 1);
    }

    @Override
    public String toString() {
        return "[" + first + ".." + last + "]";
    }
}
