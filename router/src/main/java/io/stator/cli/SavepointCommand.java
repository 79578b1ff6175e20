package io.stator.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/** {@code ./stator savepoint [--name NAME] [--url URL]}: asks a running runtime for a savepoint. */
final class SavepointCommand {
    private static final Set<String> VALUE_FLAGS = Set.of("--name", "--url");

    private SavepointCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Args a = new Args("savepoint", args, VALUE_FLAGS, Set.of("--help"));
        if (a.has("--help")) {
            out.print(StatorMain.HELP);
            return 0;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("savepoint: unexpected argument '" + a.positional().get(0) + "'");
        }
        String url = a.get("--url", "http://127.0.0.1:8090");
        String query = a.has("--name") ? "?name=" + URLEncoder.encode(a.get("--name", ""), StandardCharsets.UTF_8) : "";
        URI uri;
        try {
            uri = URI.create(url.replaceAll("/+$", "") + "/v1/savepoints" + query);
        } catch (IllegalArgumentException e) {
            throw new UsageException("savepoint: --url " + url + " is not a URL");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("stator savepoint: " + response.statusCode() + " " + response.body().strip());
                return 1;
            }
            out.println(response.body().strip());
            return 0;
        } catch (java.io.IOException e) {
            err.println("stator savepoint: cannot reach " + url + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
