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
    private static final Set<String> VALUE_FLAGS = Set.of("--name", "--url", "--token-file");

    private SavepointCommand() {
    }

    /** @return the token in {@code --token-file}, or null without the flag */
    static String readToken(Args a) {
        if (!a.has("--token-file")) {
            return null;
        }
        java.nio.file.Path file = java.nio.file.Path.of(a.get("--token-file", ""));
        try {
            String token = java.nio.file.Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new UsageException("--token-file " + file + " is empty");
            }
            return token;
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read --token-file " + file + ": " + e.getMessage());
        }
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
        String token = readToken(a);
        String query = a.has("--name") ? "?name=" + URLEncoder.encode(a.get("--name", ""), StandardCharsets.UTF_8) : "";
        URI uri;
        try {
            uri = URI.create(url.replaceAll("/+$", "") + "/v1/admin/savepoints" + query);
        } catch (IllegalArgumentException e) {
            throw new UsageException("savepoint: --url " + url + " is not a URL");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3))
                    .POST(HttpRequest.BodyPublishers.noBody());
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                err.println("stator savepoint: " + response.statusCode() + " " + response.body().strip());
                return 1;
            }
            out.println(response.body().strip());
            return 0;
        } catch (java.io.IOException e) {
            err.println("stator savepoint: cannot reach " + url + ": "
                    + io.stator.web.internal.CommandLine.whyUnreachable(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
