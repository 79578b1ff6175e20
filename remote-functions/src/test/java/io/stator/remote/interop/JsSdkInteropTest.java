package io.stator.remote.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteCounter;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.remote.testkit.RecordingEffects;
import io.stator.sdk.Address;
import io.stator.sdk.Expiration;
import io.stator.sdk.Types;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A function written with StateFun's official JavaScript SDK, run by node as a child process, driven by Stator's
 * {@code RemoteDispatcher}. Runs only with {@code -Pjs-sdk}: that profile sets {@code stator.jsSdkDir}, where
 * this test npm-installs {@code apache-flink-statefun@3.3.0} on first use.
 */
@EnabledIfSystemProperty(named = "stator.jsSdkDir", matches = ".+")
class JsSdkInteropTest {
    private static final String PACKAGE = "apache-flink-statefun@3.3.0";

    private Process node;
    private DispatcherDriver driver;
    private final Address target = Address.of("example", "jscounter", "alice");

    @BeforeEach
    void start() throws Exception {
        Path dir = Path.of(System.getProperty("stator.jsSdkDir"));
        installSdk(dir);
        Path script = dir.resolve("counter-function.js");
        try (InputStream in = JsSdkInteropTest.class.getResourceAsStream("/js/counter-function.js")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .redirectError(dir.resolve("node-stderr.log").toFile());
        builder.environment().put("NODE_PATH", dir.resolve("node_modules").toString());
        node = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
        assertTrue(ready != null && ready.startsWith("LISTENING "), "node did not start: " + ready
                + " (see " + dir.resolve("node-stderr.log") + ")");
        String url = "http://127.0.0.1:" + ready.substring("LISTENING ".length()).trim() + "/{function.name}";
        driver = new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*", url).build()));
    }

    private static void installSdk(Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir.resolve("node_modules").resolve("apache-flink-statefun"))) {
            return;
        }
        Files.createDirectories(dir);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), PACKAGE)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm-install.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + " failed; see " + dir.resolve("npm-install.log"));
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return "read failed: " + e;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (node != null) {
            node.getOutputStream().close(); // the script exits when its stdin closes
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void invoke(Address caller, String text) {
        driver.dispatcher.invoke(3, target, caller, Types.STRING_TYPENAME, Types.stringType().serialize(text));
        driver.drainUntilIdle(20);
    }

    @Test
    void stateMessagesTtlDelayedAndEgressRoundTripWithTheJsSdk() {
        invoke(null, "bob");

        assertEquals(1, driver.dispatcher.count(RemoteCounter.STATE_ROUND_TRIPS));
        assertArrayEquals(Types.intType().serialize(1), driver.state.value(target, "seen"));
        assertEquals("bob", Types.stringType().deserialize(driver.state.value(target, "name")));
        assertEquals(Expiration.expireAfterCall(Duration.ofMinutes(1)), driver.state.spec(target, "seen").expiration());
        RecordingEffects effects = driver.effects;
        assertEquals("hello bob #1 from nobody", effects.sent.get(0).message().asUtf8String());
        assertEquals("example/greeter/bob", effects.sent.get(0).message().targetAddress().toString());
        assertEquals("bob:1", Types.stringType().deserialize(effects.egress.get(0).message().rawValue()));

        invoke(Address.of("example", "friend", "f1"), "later");
        assertEquals("hello later #2 from example/friend/f1", effects.sent.get(1).message().asUtf8String());
        assertEquals(Duration.ofSeconds(2), effects.delayed.get(0).delay());
        assertEquals("reminder", effects.delayed.get(0).token());

        invoke(null, "cancel");
        assertTrue(effects.delayed.get(1).isCancellation());
        assertArrayEquals(Types.intType().serialize(3), driver.state.value(target, "seen"));
        assertTrue(effects.deadLetters.isEmpty());
    }
}
