package io.stator.benchmarks.driver;

/**
 * The keys of a run: message {@code i} goes to key {@code i % keys}, whose address id is {@code "k" + key}. The ids
 * are made once, so neither the producer nor a function builds strings per message.
 */
final class KeySpace {
    private final String[] ids;

    /**
     * @param keys how many keys, at least 1
     * @throws IllegalArgumentException if {@code keys} is below 1
     */
    KeySpace(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
        ids = new String[keys];
        for (int k = 0; k < keys; k++) {
            ids[k] = "k" + k;
        }
    }

    /** @return how many keys there are */
    int size() {
        return ids.length;
    }

    /** @return the key of message {@code index} */
    int keyOf(long index) {
        return (int) (index % ids.length);
    }

    /** @return the key after {@code key}, wrapping: a different key whenever there are at least two */
    int nextKey(int key) {
        return (key + 1) % ids.length;
    }

    /** @return the address id of {@code key} */
    String id(int key) {
        return ids[key];
    }

    /** @return how many of {@code msgs} messages (indices {@code 0 .. msgs-1}) go to {@code key} */
    long messagesFor(int key, long msgs) {
        return msgs / ids.length + (key < msgs % ids.length ? 1 : 0);
    }
}
