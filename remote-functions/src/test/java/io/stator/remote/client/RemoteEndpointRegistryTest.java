package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.TypeName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The copy-on-write endpoint registry on its own: versions, replace and remove, matching, concurrent readers. */
class RemoteEndpointRegistryTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final TypeName OTHER = TypeName.typeNameOf("example", "other");

    private static RemoteEndpointSpec endpoint(String functions, int port) {
        return RemoteEndpointSpec.builder(functions, "http://127.0.0.1:" + port + "/{function.name}").build();
    }

    @Test
    void everyChangeBumpsTheVersionAndEarlierSnapshotsStayAsTheyWere() {
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of());
        RemoteEndpointRegistry.Snapshot empty = registry.snapshot();
        assertEquals(0, empty.version());

        assertNull(registry.put(endpoint("example/*", 1)));
        assertEquals(1, registry.version());
        assertTrue(registry.serves(GREETER));
        assertTrue(empty.endpoints().isEmpty(), "a snapshot taken before is not changed");

        assertEquals("example/*", registry.remove("example/*").functions());
        assertEquals(2, registry.version());
        assertFalse(registry.serves(GREETER));
    }

    @Test
    void registeringAPatternAgainReplacesItInPlace() {
        RemoteEndpointSpec first = endpoint("example/*", 1);
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of(first, endpoint("shop/*", 2)));
        RemoteEndpointSpec second = endpoint("example/*", 3);

        assertSame(first, registry.put(second));

        assertEquals(List.of("example/*", "shop/*"), registry.snapshot().patterns());
        assertSame(second, registry.endpointFor(GREETER));
    }

    @Test
    void removingAnUnknownPatternChangesNothing() {
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of(endpoint("example/*", 1)));

        assertNull(registry.remove("shop/*"));

        assertEquals(0, registry.version());
        assertEquals(1, registry.endpoints().size());
    }

    @Test
    void aSpecificFunctionWinsOverItsNamespaceWhicheverCameFirst() {
        RemoteEndpointSpec namespace = endpoint("example/*", 1);
        RemoteEndpointSpec specific = endpoint("example/greeter", 2);
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of(specific));
        registry.put(namespace);

        assertSame(specific, registry.endpointFor(GREETER));
        assertSame(namespace, registry.endpointFor(OTHER));
        assertNull(registry.endpointFor(TypeName.typeNameOf("shop", "cart")));
    }

    @Test
    void twoEndpointsWithOnePatternAreRejectedAtCreation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteEndpointRegistry.of(List.of(endpoint("example/*", 1), endpoint("example/*", 2))));
        assertTrue(e.getMessage().contains("example/*"), e.getMessage());
    }

    @Test
    void readersOnOtherThreadsAlwaysSeeAConsistentSnapshotWhileAWriterChangesIt() throws Exception {
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of(endpoint("base/*", 1)));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> problem = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                long lastVersion = -1;
                for (int i = 0; i < 5_000_000 && writing.get(); i++) {
                    RemoteEndpointRegistry.Snapshot s = registry.snapshot();
                    Set<String> unique = new HashSet<>(s.patterns());
                    if (unique.size() != s.endpoints().size() || !unique.contains("base/*") || s.version() < lastVersion) {
                        problem.set("inconsistent snapshot " + s);
                        return;
                    }
                    lastVersion = s.version();
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < 2_000; i++) {
            registry.put(endpoint("ns" + (i % 7) + "/*", 1000 + i));
            if (i % 3 == 0) {
                registry.remove("ns" + (i % 5) + "/*");
            }
        }
        writing.set(false);
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        assertNull(problem.get());
        assertTrue(registry.version() > 2_000);
    }
}
