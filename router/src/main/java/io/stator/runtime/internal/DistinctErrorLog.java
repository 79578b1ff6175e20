package io.stator.runtime.internal;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs each distinct error once (by function type and reason) and counts the repeats, so a function failing on
 * every message does not flood the log. Single-threaded.
 */
final class DistinctErrorLog {
    private static final int MAX_DISTINCT = 1024;

    private final Logger log;
    private final Map<String, long[]> seen = new HashMap<>();
    private long total;

    DistinctErrorLog(Logger log) {
        this.log = log;
    }

    void record(String key, String message, Throwable error) {
        total++;
        long[] count = seen.get(key);
        if (count != null) {
            count[0]++;
            return;
        }
        if (seen.size() < MAX_DISTINCT) {
            seen.put(key, new long[] {1});
        }
        if (error == null || isUserError(error)) {
            log.warn("{} (further errors like this are counted, not logged)", message);
        } else {
            log.warn("{} (further errors like this are counted, not logged)", message, error);
        }
    }

    long total() {
        return total;
    }

    /** Errors a user's code or input causes: report the message, no stack trace. */
    private static boolean isUserError(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException;
    }
}
