package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An error that escapes every duty cycle of a partition is logged once per 10 s, with a count, not every time. */
class AgentErrorLogTest {
    private static final long S = 1_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private long now;
    private final List<String> died = new ArrayList<>();
    private final AgentErrorLog log = new AgentErrorLog("stator-partition-1", (line, error) -> {
        lines.add(line);
        errors.add(error);
    }, (agent, error) -> died.add(agent + ": " + error.getMessage()), () -> now);

    @Test
    void theFirstErrorIsLoggedThenRepeatsOncePerTenSecondsWithTheirCount() {
        RuntimeException first = new RuntimeException("No space left on device");
        log.onError(first);
        assertEquals(List.of("stator-partition-1: unexpected error; it goes on with its next cycle (repeats: one line"
                + " per 10 s)"), lines);
        assertSame(first, errors.get(0), "with its stack trace");

        for (int i = 0; i < 20_000; i++) { // a cycle every 0.5 ms for 10 s
            now = i * S / 2_000;
            log.onError(new RuntimeException("again " + i));
        }
        assertEquals(1, lines.size(), "repeats within 10 s are counted");

        now = 10 * S;
        RuntimeException latest = new RuntimeException("latest");
        log.onError(latest);
        assertEquals("stator-partition-1: 20001 unexpected errors in the last 10 s; the latest", lines.get(1));
        assertSame(latest, errors.get(1));

        now = 19 * S;
        log.onError(new RuntimeException());
        assertEquals(2, lines.size());
        now = 60 * S;
        log.onError(new RuntimeException());
        assertEquals("stator-partition-1: 2 unexpected errors in the last 50 s; the latest", lines.get(2));
    }

    @Test
    void anErrorIsLoggedAtOnceAndReportedAsTheThreadsDeath() {
        log.onError(new RuntimeException("first"));
        now = S;
        log.onError(new InternalError("a fault occurred in a recent unsafe memory access operation"));
        assertEquals(2, lines.size(), "not held back by the 10 s of repeats");
        assertEquals("stator-partition-1 stops: java.lang.InternalError: a fault occurred in a recent unsafe memory"
                + " access operation; the runtime makes no progress until it is restarted", lines.get(1));
        assertEquals(List.of("stator-partition-1: a fault occurred in a recent unsafe memory access operation"), died);
    }
}
