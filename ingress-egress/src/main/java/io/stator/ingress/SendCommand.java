package io.stator.ingress;

import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.CommandLine;
import io.stator.web.internal.HttpTargets;
import io.stator.web.internal.PercentCoding;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code send} CLI command: posts one record to a running runtime's HTTP ingress and prints the answer
 * ({@code {"offset":N}}).
 *
 * <pre>
 * send &lt;namespace/type&gt; &lt;id&gt; &lt;payload&gt; [--type TYPENAME] [--url http://127.0.0.1:8090] [--idempotency-key K]
 * </pre>
 *
 * The payload is text; for built-in value types (the default is {@code io.statefun.types/string}) the runtime
 * converts it, e.g. {@code 42} for {@code io.statefun.types/int}. Exit codes: 0 appended, 1 refused or
 * unreachable, 2 usage error.
 */
public final class SendCommand {
    /** The one-line usage. */
    public static final String USAGE = "usage: send <namespace/type> <id> <payload> [--type TYPENAME]"
            + " [--url http://127.0.0.1:8090] [--idempotency-key K]";
    /** The runtime's default HTTP address. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8090";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private SendCommand() {
    }

    /**
     * @param args the arguments after {@code send}
     * @param out  receives the runtime's answer
     * @param err  receives errors, one line each
     * @return the exit code: 0 appended, 1 refused or unreachable, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        URI uri;
        String idempotencyKey;
        byte[] payload;
        TypeName valueType;
        try {
            CommandLine line = CommandLine.parse(args, Set.of("--type", "--url", "--idempotency-key"), Set.of());
            List<String> positionals = line.positionals();
            if (positionals.size() != 3) {
                throw new CommandLine.UsageException("expected 3 arguments, got " + positionals.size());
            }
            TypeName functionType = typeName(positionals.get(0), "function type");
            if (positionals.get(1).isEmpty()) {
                throw new CommandLine.UsageException("the id is empty");
            }
            valueType = typeName(line.option("--type", Types.STRING_TYPENAME.asString()), "--type");
            idempotencyKey = line.option("--idempotency-key", null);
            payload = positionals.get(2).getBytes(StandardCharsets.UTF_8);
            uri = URI.create(line.baseUrl(DEFAULT_URL) + IngressHttpHandler.PATH_PREFIX + "/"
                    + HttpTargets.typeNamePath(functionType) + "/" + PercentCoding.encodeSegment(positionals.get(1))
                    + "?type=" + HttpTargets.queryValue(valueType.asString()));
        } catch (CommandLine.UsageException e) {
            err.println("send: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        return post(uri, payload, valueType, idempotencyKey, out, err);
    }

    private static int post(URI uri, byte[] payload, TypeName valueType, String idempotencyKey, PrintStream out,
            PrintStream err) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", Types.builtInType(valueType) != null
                        ? "text/plain; charset=utf-8" : "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if (idempotencyKey != null) {
            request.header(IngressHttpHandler.IDEMPOTENCY_KEY, idempotencyKey);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                out.println(response.body().strip());
                return 0;
            }
            err.println("send: HTTP " + response.statusCode() + ": " + response.body().strip());
            return 1;
        } catch (IOException e) {
            err.println("send: cannot reach " + uri + ": " + CommandLine.whyUnreachable(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("send: interrupted");
            return 1;
        }
    }

    private static TypeName typeName(String text, String what) throws CommandLine.UsageException {
        try {
            return TypeName.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("bad " + what + ": " + e.getMessage());
        }
    }
}
