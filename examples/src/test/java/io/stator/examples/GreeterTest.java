package io.stator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.examples.greeter.Greeter;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.config.ModuleFile;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import io.stator.sdk.testing.TestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The greeter runs end to end through the real runtime, loaded from its module.yaml. */
class GreeterTest {
    @Test
    void greeterCountsVisitsPerUserThroughTheRuntime() throws Exception {
        ModuleFile module = ModuleFile.load(Path.of("greeter/module.yaml"));
        InMemoryEgress egress = new InMemoryEgress();
        StatorConfig config = Stator.builder().partitions(2).egress(egress);
        module.embeddedFunctions().values().forEach(config::withFunction);
        try (Stator stator = config.start()) {
            for (String user : List.of("alice", "bob", "alice", "alice")) {
                stator.send(MessageBuilder.forAddress(Greeter.TYPE, user).withValue("").build());
            }
            var greets = egress.await(Greeter.GREETS, 4, Duration.ofSeconds(30));
            List<String> texts = greets.stream()
                    .map(r -> Types.stringType().deserialize(r.message().rawValue())).sorted().toList();
            assertEquals(List.of(
                    "Hello alice, this is visit number 2.",
                    "Hello alice, this is visit number 3.",
                    "Hello alice, welcome!",
                    "Hello bob, welcome!"), texts);
        }
    }

    @Test
    void greeterUnitTestWithTheTestKit() {
        TestContext ctx = TestContext.forFunction(Greeter.SPEC, "carol");
        ctx.invoke(MessageBuilder.forAddress(Greeter.TYPE, "carol").withValue("hi").build()).join();
        ctx.invoke(MessageBuilder.forAddress(Greeter.TYPE, "carol").withValue("").build()).join();
        assertEquals(2, ctx.storage().get(Greeter.SEEN).orElseThrow());
        assertEquals("Hello carol, this is visit number 2.",
                Types.stringType().deserialize(ctx.sentEgressMessages().get(1).rawValue()));
    }
}
