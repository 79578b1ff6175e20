package io.stator.remote.internal;

import io.stator.sdk.TypeName;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last few {@link TypeName}s read from one protocol message, so that a batch whose hundred invocations (or
 * replies whose hundred egress records) all name the same type parses that name once instead of once per entry:
 * each {@link TypeName} made costs two substrings, a concatenation and its UTF-8 bytes. A hit costs a string
 * comparison. Misses evict round-robin, and look in the names every message so far has met (up to
 * {@value #SHARED_MAX} of them, as names may come from data): what a reply's effects keep for long, the argument
 * type of each invocation queued behind a busy address or a pending timer's target, then shares one instance instead
 * of ~100 bytes of its own.
 *
 * <p>One message at a time, one thread: make one per message decoded. The shared names are thread-safe.
 */
public final class RecentTypeNames {
    private static final int SLOTS = 4;
    private static final int SHARED_MAX = 4_096;
    /** Names by their text, met in any message. */
    private static final ConcurrentHashMap<String, TypeName> SHARED = new ConcurrentHashMap<>();

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
        TypeName shared = SHARED.get(text);
        return remember(shared != null ? shared : share(TypeName.parse(text)));
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
        return remember(share(TypeName.typeNameOf(namespace, name)));
    }

    /** @return the shared instance equal to {@code made}: an earlier one, or {@code made} (kept while there is room) */
    private static TypeName share(TypeName made) {
        TypeName earlier = SHARED.get(made.asString());
        if (earlier != null || SHARED.size() >= SHARED_MAX) {
            return earlier != null ? earlier : made;
        }
        earlier = SHARED.putIfAbsent(made.asString(), made);
        return earlier != null ? earlier : made;
    }

    private TypeName remember(TypeName made) {
        names[nextVictim] = made;
        nextVictim = (nextVictim + 1) % SLOTS;
        return made;
    }
}
