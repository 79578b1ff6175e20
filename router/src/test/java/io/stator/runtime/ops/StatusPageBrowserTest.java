package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the status page in real headless Chromium while messages flow, reads back the DOM the page built
 * ({@code --dump-dom}) and saves a screenshot to {@code target/status-page.png}.
 *
 * <p>Chromium must be at {@code /usr/bin/chromium} ({@code scripts/ensure-chromium.sh} installs it). Without it
 * the test is skipped on a developer machine, and fails when {@code CI} is set.
 */
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int EXTRA_TYPES = 12;
    /** Page time Chromium simulates before it dumps or shoots: about four polls of /v1/status. */
    private static final int VIRTUAL_TIME_MILLIS = 4000;
    private static final Pattern BODY = Pattern.compile("<body([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");

    @TempDir
    Path profile;

    private Stator stator;
    private OpsTestServer server;
    private Thread workload;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeEach
    void start() {
        requireChromium();
        StatorConfig config = Stator.builder().partitions(2).maxParallelism(16).egress(new InMemoryEgress())
                .withFunction(OpsFunctions.COUNTER_SPEC).withFunction(OpsFunctions.FORWARDER_SPEC);
        for (int i = 0; i < EXTRA_TYPES; i++) {
            config.withFunction(loadFunction(i));
        }
        stator = config.start();
        RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of(
                RemoteEndpointSpec.builder("remote/*", "http://127.0.0.1:9/{function.name}").build()));
        server = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults().endpointRegistry(registry));
        workload = new Thread(this::sendUntilStopped, "status-page-workload");
        workload.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        if (workload != null) {
            workload.join(10_000);
        }
        if (server != null) {
            server.close();
        }
        if (stator != null) {
            stator.close();
        }
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail(CHROMIUM + " is missing but CI is set: run scripts/ensure-chromium.sh before the tests");
        }
        Assumptions.abort(CHROMIUM + " is not installed (scripts/ensure-chromium.sh installs it); skipping the browser test");
    }

    private static StatefulFunctionSpec loadFunction(int i) {
        TypeName type = TypeName.typeNameOf("load", "fn-" + i);
        return StatefulFunctionSpec.builder(type).withSupplier(() -> (StatefulFunction) (context, message) -> {
            context.send(EgressMessageBuilder.forEgress(OpsFunctions.OUT).withValue(message.asUtf8String()).build());
            return StatefulFunction.DONE;
        }).build();
    }

    /** Paced traffic over every type, heavier on some, so the charts have a clear top 5. Bounded in count. */
    private void sendUntilStopped() {
        for (int round = 0; round < 100_000 && running.get(); round++) {
            for (int i = 0; i < 100; i++) {
                int type = (round * 100 + i) % (EXTRA_TYPES * 3);
                TypeName target = type < EXTRA_TYPES ? TypeName.typeNameOf("load", "fn-" + type)
                        : type % 5 == 0 ? OpsFunctions.FORWARDER : OpsFunctions.COUNTER;
                stator.send(MessageBuilder.forAddress(target, "id-" + (i % 31)).withValue("m" + i).build());
            }
            try {
                Thread.sleep(10); // about 10 000 messages/s: enough to chart, light enough to leave Chromium a core
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void thePageFillsItsChartsAndTablesWhileMessagesFlow() throws Exception {
        String dom = chromium("--dump-dom", server.url("/"));

        Map<String, String> body = bodyAttributes(dom);
        assertEquals("true", body.get("data-ready"), "the page rendered two polls: " + body);
        assertTrue(Integer.parseInt(body.get("data-updates")) >= 2, body.toString());
        assertEquals(EXTRA_TYPES + 2, Integer.parseInt(body.get("data-function-rows")), body.toString());
        assertEquals("2", body.get("data-partition-rows"));
        assertEquals("1", body.get("data-endpoint-rows"));
        assertEquals("5", body.get("data-chart-series"), "the top 5 types are charted");
        assertTrue(Integer.parseInt(body.get("data-chart-points")) > 0, body.toString());
        assertTrue(dom.contains("load/fn-7"), "the function table lists every type");
        assertTrue(dom.contains("remote/*"), "the endpoint table lists the endpoint");
        assertTrue(dom.contains("badge ok\">live"), "the page shows it is connected");

        Path screenshot = targetDir().resolve("status-page.png");
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1280,900", server.url("/"));
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the filled page: " + Files.size(screenshot) + " bytes");
    }

    /** Runs headless Chromium on a fresh profile; @return its standard output */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(profile, "chromium"),
                "--virtual-time-budget=" + VIRTUAL_TIME_MILLIS));
        command.addAll(List.of(args));
        Path log = targetDir().resolve("chromium-" + args[0].replaceAll("[^a-z-]", "") + ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes(); // ends when Chromium exits or is killed below
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish within 90 s; see " + log);
        }
        assertEquals(0, process.exitValue(), "Chromium failed; see " + log);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Map<String, String> bodyAttributes(String dom) {
        Matcher body = BODY.matcher(dom);
        if (!body.find()) {
            fail("no <body> in Chromium's DOM dump: " + dom.substring(0, Math.min(500, dom.length())));
        }
        Map<String, String> attributes = new TreeMap<>();
        Matcher a = ATTRIBUTE.matcher(body.group(1));
        while (a.find()) {
            attributes.put(a.group(1), a.group(2));
        }
        return attributes;
    }

    private static Path targetDir() throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        Files.createDirectories(target);
        return target;
    }
}
