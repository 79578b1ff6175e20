package io.stator.egress;

import io.stator.egress.internal.EgressJson;
import io.stator.sdk.TypeName;
import io.stator.web.internal.CommandLine;
import io.stator.web.internal.FlatJsonObject;
import io.stator.web.internal.HttpTargets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tail} CLI command: prints the records of an egress of a running runtime, one per line:
 * {@code <offset> TAB <epoch> TAB <value type> TAB <value>}. Values of built-in types print as text, with
 * backslashes, line breaks and tabs escaped ({@code \\}, {@code \n}, {@code \t}) so a record stays one line;
 * others print as {@code base64:<bytes>}.
 *
 * <pre>
 * tail &lt;namespace/egress&gt; [--from N] [--uncommitted] [--follow] [--limit N] [--url http://127.0.0.1:8090]
 * </pre>
 *
 * Without {@code --follow} it prints what is there and exits; with it, it follows the egress's event stream until
 * killed or {@code --limit} records were printed, through restarts of the runtime (it connects again every second
 * and goes on after the last record it printed). Committed records only unless
 * {@code --uncommitted}. Exit codes: 0 done, 1 refused or unreachable, 2 usage error.
 */
public final class TailCommand {
    /** The one-line usage. */
    public static final String USAGE = "usage: tail <namespace/egress> [--from N] [--uncommitted] [--follow]"
            + " [--limit N] [--url http://127.0.0.1:8090]";
    /** The runtime's default HTTP address. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8090";

    private static final int PAGE = 1_000;
    /** Pages read without --follow, at most: a bound, not a limit anyone should reach. */
    private static final int MAX_PAGES = 1_000_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@code --follow} waits before it connects again to a runtime that went away. */
    private static final long RECONNECT_MILLIS = 1_000;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final TypeName egress;
    private final String egressUrl;
    private final boolean uncommitted;
    private final long limit;
    private final PrintStream out;
    private final PrintStream err;
    private long printed;
    /** The offset after the last record printed: where a stream that was lost goes on. */
    private long next;

    private TailCommand(TypeName egress, String egressUrl, boolean uncommitted, long limit, PrintStream out,
            PrintStream err) {
        this.egress = egress;
        this.egressUrl = egressUrl;
        this.uncommitted = uncommitted;
        this.limit = limit;
        this.out = out;
        this.err = err;
    }

    /**
     * @param args the arguments after {@code tail}
     * @param out  receives the records
     * @param err  receives errors, one line each
     * @return the exit code: 0 done, 1 refused or unreachable, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        TailCommand tail;
        long from;
        boolean follow;
        try {
            CommandLine line = CommandLine.parse(args, Set.of("--from", "--limit", "--url"),
                    Set.of("--uncommitted", "--follow"));
            if (line.positionals().size() != 1) {
                throw new CommandLine.UsageException("expected 1 argument, got " + line.positionals().size());
            }
            TypeName egress;
            try {
                egress = TypeName.parse(line.positionals().get(0));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.UsageException("bad egress: " + e.getMessage());
            }
            from = line.longOption("--from", 0, 0);
            follow = line.flag("--follow");
            String url = line.baseUrl(DEFAULT_URL) + EgressHttpHandler.PATH_PREFIX + "/"
                    + HttpTargets.typeNamePath(egress);
            tail = new TailCommand(egress, url, line.flag("--uncommitted"),
                    line.longOption("--limit", Long.MAX_VALUE, 1), out, err);
        } catch (CommandLine.UsageException e) {
            err.println("tail: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        try {
            return follow ? tail.follow(from) : tail.readAvailable(from);
        } catch (IOException e) {
            err.println("tail: cannot read " + tail.egressUrl + ": " + CommandLine.whyUnreachable(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tail: interrupted");
            return 1;
        }
    }

    /** Reads pages until a page brings nothing new. */
    private int readAvailable(long from) throws IOException, InterruptedException {
        long pageFrom = from;
        for (int page = 0; page < MAX_PAGES && printed < limit; page++) {
            URI uri = URI.create(egressUrl + "?from=" + pageFrom + "&max=" + PAGE + "&uncommitted=" + uncommitted);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                return refused(response.statusCode(), response.body());
            }
            for (String json : response.body().split("\n")) {
                if (!json.isBlank() && printed < limit) {
                    print(json);
                }
            }
            long after = Long.parseLong(response.headers().firstValue(EgressHttpHandler.NEXT_OFFSET)
                    .orElseThrow(() -> new IOException("the answer has no " + EgressHttpHandler.NEXT_OFFSET)));
            if (after == pageFrom) {
                break; // caught up
            }
            pageFrom = after;
        }
        return 0;
    }

    /**
     * Follows the event stream, printing each event's data. An egress nothing has been emitted to yet is waited for,
     * after a line on stderr that says so (it may also be a misspelt name). When the stream ends or the runtime
     * cannot be reached (a restart), it says so once and connects again every {@value #RECONNECT_MILLIS} ms, from
     * after the last record printed.
     */
    private int follow(long from) throws IOException, InterruptedException {
        HttpResponse<String> probe = client.send(HttpRequest.newBuilder(URI.create(egressUrl + "?max=1"))
                .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (probe.statusCode() == 404) {
            err.println("tail: " + egress + " has no records yet (is the name right?); waiting for the first");
        } else if (probe.statusCode() != 200) {
            return refused(probe.statusCode(), probe.body());
        }
        next = from;
        boolean away = false;
        while (true) {
            String why;
            try {
                Integer code = stream(away);
                if (code != null) {
                    return code;
                }
                why = "the event stream was closed by the runtime";
            } catch (IOException e) {
                why = "the runtime cannot be reached (" + CommandLine.whyUnreachable(e) + ")";
            }
            if (!away) {
                err.println("tail: " + why + "; connecting again every second, from offset " + next);
                away = true;
            }
            Thread.sleep(RECONNECT_MILLIS);
        }
    }

    /**
     * Reads the event stream from {@link #next} until it ends.
     *
     * @param again whether this connects again after the stream was lost: said on stderr once connected
     * @return the exit code once done (the limit reached, or refused), or null if the stream ended
     */
    private Integer stream(boolean again) throws IOException, InterruptedException {
        URI uri = URI.create(egressUrl + "/stream?from=" + next + "&uncommitted=" + uncommitted);
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                return refused(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (again) {
                err.println("tail: connected again, from offset " + next);
            }
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) { // end of an event
                    if (data.length() > 0) {
                        print(data.toString());
                        data.setLength(0);
                    }
                    if (printed >= limit) {
                        return 0;
                    }
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            }
        }
        return null;
    }

    private void print(String json) {
        Map<String, String> record = FlatJsonObject.parse(json);
        String value = record.containsKey(EgressJson.VALUE)
                ? escape(record.get(EgressJson.VALUE))
                : "base64:" + record.getOrDefault(EgressJson.VALUE_BASE64, "");
        out.println(record.get("offset") + "\t" + record.get("epoch") + "\t" + record.get("type") + "\t" + value);
        printed++;
        next = Long.parseLong(record.get("offset")) + 1;
    }

    private int refused(int status, String body) {
        err.println("tail: HTTP " + status + ": " + body.strip());
        return 1;
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
