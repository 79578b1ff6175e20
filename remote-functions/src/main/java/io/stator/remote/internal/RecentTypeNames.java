package io.stator.remote.internal;

import io.stator.sdk.TypeName;

/**
 * The last few {@link TypeName}s read from one protocol message, so that a batch whose hundred invocations (or
 * replies whose hundred egress records) all name the same type parses that name once instead of once per entry:
 * each {@link TypeName} made costs two substrings, a concatenation and its UTF-8 bytes. A hit costs a string
 * comparison. Misses evict round-robin.
 *
 * <p>One message at a time, one thread: make one per message decoded.
 */
public final class RecentTypeNames {
    private static final int SLOTS = 4;

    private final TypeName[] names = new TypeName[SLOTS];
    private int nextVictim;

    /**
     * @return the type name {@code namespace/name} of {@code text}, as {@link TypeName#parse}
     * @throws IllegalArgumentException as {@link TypeName#parse}
     */
    public TypeName parse(String text) {
        for (TypeName known : names) {
            if (known != null && known.asString().equals(text)) {
                return known;
            }
        }
        return remember(TypeName.parse(text));
    }

    /**
     * @return the type name of {@code namespace} and {@code name}, as {@link TypeName#typeNameOf}
     * @throws IllegalArgumentException as {@link TypeName#typeNameOf}
     */
    public TypeName of(String namespace, String name) {
        for (TypeName known : names) {
            if (known != null && known.name().equals(name) && known.namespace().equals(namespace)) {
                return known;
            }
        }
        return remember(TypeName.typeNameOf(namespace, name));
    }

    private TypeName remember(TypeName made) {
        names[nextVictim] = made;
        nextVictim = (nextVictim + 1) % SLOTS;
        return made;
    }
}
