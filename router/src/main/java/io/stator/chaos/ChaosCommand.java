package io.stator.chaos;

import io.stator.state.RocksDbStateConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./stator chaos}: the crash test of exactly-once. It runs the runtime as a child JVM, kills it with SIGKILL
 * at random moments while commands flow (during snapshots, during remote calls), restarts it, and checks that
 * every function's state and the read-committed egress are exactly what the commands imply. It prints one line,
 * {@code chaos seed=S kills=K msgs=M lost=0 duplicated=0 state_mismatches=0 ok=true}, and exits 0 when ok, 1
 * when not (the details and the kept work folder go to the error stream), 2 on a usage error.
 */
public final class ChaosCommand {
    static final String USAGE = "chaos [--kills K] [--seed S] [--msgs M] [--partitions P] [--snapshot-interval MS]"
            + " [--addresses N] [--inbox BYTES] [--cache-entries N] [--changelog-part BYTES] [--rescale] [--dir DIR]";
    private static final Set<String> FLAGS = Set.of("--kills", "--seed", "--msgs", "--partitions",
            "--snapshot-interval", "--addresses", "--inbox", "--cache-entries", "--changelog-part", "--dir");
    private static final Set<String> SWITCHES = Set.of("--rescale");

    private ChaosCommand() {
    }

    /**
     * Runs the chaos test.
     *
     * @param args the arguments after {@code chaos}
     * @return 0 if state and output were exactly-once, 1 if not, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ChaosOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("stator chaos: " + e.getMessage());
            return 2;
        }
        if (options == null) {
            out.println("usage: ./stator " + USAGE);
            return 0;
        }
        ChaosResult result;
        try {
            result = new ChaosRun(options).run();
        } catch (IllegalArgumentException e) {
            err.println("stator chaos: " + e.getMessage());
            return 2;
        }
        out.println(result.line());
        for (String detail : result.details()) {
            err.println("stator chaos: " + detail);
        }
        return result.ok() ? 0 : 1;
    }

    /** @return the options, or null when help was asked for */
    static ChaosOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (SWITCHES.contains(a)) {
                values.put(a, "true");
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException(a.startsWith("--") ? "unknown flag " + name + " (usage: " + USAGE + ")"
                        : "unexpected argument '" + a + "' (usage: " + USAGE + ")");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        long seed = values.containsKey("--seed") ? parseLong("--seed", values.get("--seed"))
                : System.nanoTime() & 0xFFFF_FFFFL;
        return new ChaosOptions(seed,
                intValue(values, "--kills", ChaosOptions.DEFAULT_KILLS, 0, 1000),
                intValue(values, "--msgs", ChaosOptions.DEFAULT_MSGS, 1, 10_000_000),
                intValue(values, "--partitions", ChaosOptions.DEFAULT_PARTITIONS, 1, 64),
                intValue(values, "--snapshot-interval", ChaosOptions.DEFAULT_SNAPSHOT_INTERVAL_MILLIS, 10, 60_000),
                intValue(values, "--addresses", ChaosOptions.DEFAULT_ADDRESSES_PER_TYPE, 1, 100_000),
                inboxBytes(values),
                intValue(values, "--cache-entries", ChaosOptions.DEFAULT_CACHE_ENTRIES, 1, 10_000_000),
                intValue(values, "--changelog-part", ChaosOptions.DEFAULT_CHANGELOG_PART_BYTES,
                        (int) RocksDbStateConfig.MIN_CHANGELOG_PART_BYTES,
                        (int) RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES),
                values.containsKey("--rescale"),
                values.containsKey("--dir") ? Path.of(values.get("--dir")) : null);
    }

    private static int inboxBytes(Map<String, String> values) {
        int bytes = intValue(values, "--inbox", ChaosOptions.DEFAULT_INBOX_BYTES, 1024, 1 << 30);
        if (Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("--inbox must be a power of two, was " + bytes);
        }
        return bytes;
    }

    private static int intValue(Map<String, String> values, String flag, int fallback, int min, int max) {
        String v = values.get(flag);
        if (v == null) {
            return fallback;
        }
        long n = parseLong(flag, v);
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + v);
        }
        return (int) n;
    }

    private static long parseLong(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was '" + v + "'");
        }
    }
}
