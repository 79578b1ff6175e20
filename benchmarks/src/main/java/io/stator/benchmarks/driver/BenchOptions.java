package io.stator.benchmarks.driver;

/**
 * The parsed command line of {@code ./stator bench}:
 * {@code <W0..W5> [msgs=N] [keys=K] [partitions=P] [snapshot-ms=MS] [snapshot-quiet-ms=MS] [rate=N]
 * [time-limit-s=S] [warmup=N] [reader=committed|uncommitted] [reminders=on|off] [--vs W0]}.
 *
 * @param workload    the workload to run
 * @param settings    sizes and limits; {@code ratePerSecond} is 0 unless {@code rate=} was given
 * @param vsW0        whether W0 runs first, for {@code ratio_vs_W0}
 * @param warmupMsgs  messages of an unreported run of each measured workload before the measured runs; 0 for none,
 *                    {@link #WARMUP_DEFAULT} if not given (none for W0 .. W3, a few seconds of its rate for W4)
 */
record BenchOptions(Workload workload, RunSettings settings, boolean vsW0, long warmupMsgs, ReaderMode reader) {
    static final String USAGE = "usage: ./stator bench <W0|W1|W2|W3|W4|W5> [msgs=N] [keys=K] [partitions=P]"
            + " [snapshot-ms=MS] [snapshot-quiet-ms=MS] [rate=N] [time-limit-s=S] [warmup=N]"
            + " [reader=committed|uncommitted] [reminders=on|off] [--vs W0]";
    static final long DEFAULT_MSGS = 1_000_000;
    /** {@code warmup=} was not given: the workload's default applies. */
    static final long WARMUP_DEFAULT = -1;
    /** W5's default: a million counters. */
    static final int W5_DEFAULT_KEYS = 1_000_000;
    static final int DEFAULT_KEYS = 10_000;
    static final long DEFAULT_SNAPSHOT_MILLIS = 1_000;
    /** Leaves room for draining and closing within WORKLOADS.md's two minutes per run. */
    static final long DEFAULT_TIME_LIMIT_SECONDS = 80;
    /** Bounds the driver's own memory: a latency array and a bit set hold one entry per message. */
    static final long MAX_MSGS = 20_000_000;
    static final int MAX_KEYS = 10_000_000;

    /**
     * @throws BenchUsageException naming the first bad argument
     */
    static BenchOptions parse(String[] args) {
        if (args.length == 0) {
            throw new BenchUsageException("a workload is required; " + USAGE);
        }
        Workload workload = Workload.parse(args[0]);
        long msgs = DEFAULT_MSGS;
        int keys = DEFAULT_KEYS;
        boolean keysGiven = false;
        int partitions = Runtime.getRuntime().availableProcessors();
        long snapshotMillis = DEFAULT_SNAPSHOT_MILLIS;
        long quietMillis = io.stator.runtime.StatorConfig.DEFAULT_SNAPSHOT_QUIET_MILLIS;
        long rate = 0;
        long timeLimit = DEFAULT_TIME_LIMIT_SECONDS;
        boolean vsW0 = false;
        long warmup = WARMUP_DEFAULT;
        ReaderMode reader = ReaderMode.EXACTLY_ONCE;
        boolean reminders = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--vs") || arg.startsWith("--vs=")) {
                String against = arg.equals("--vs") ? (i + 1 < args.length ? args[++i] : "") : arg.substring(5);
                if (!against.equalsIgnoreCase("W0")) {
                    throw new BenchUsageException("--vs compares with W0 only, was '" + against + "'");
                }
                vsW0 = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new BenchUsageException("unexpected argument '" + arg + "'; " + USAGE);
            }
            String value = arg.substring(eq + 1);
            switch (arg.substring(0, eq)) {
                case "msgs" -> msgs = number(arg, value, 1, MAX_MSGS);
                case "keys" -> {
                    keys = (int) number(arg, value, 1, MAX_KEYS);
                    keysGiven = true;
                }
                case "partitions" -> partitions = (int) number(arg, value, 1, 1024);
                case "snapshot-ms" -> snapshotMillis = number(arg, value, 0, 3_600_000);
                case "snapshot-quiet-ms" -> quietMillis = number(arg, value, 0, 3_600_000);
                case "reader" -> reader = switch (value) {
                    case "committed" -> ReaderMode.EXACTLY_ONCE;
                    case "uncommitted" -> ReaderMode.AT_LEAST_ONCE;
                    default -> throw new BenchUsageException("'" + arg + "': expected reader=committed or reader=uncommitted");
                };
                case "reminders" -> reminders = switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new BenchUsageException("'" + arg + "': expected reminders=on or reminders=off");
                };
                case "rate" -> rate = number(arg, value, 1, 1_000_000_000);
                case "time-limit-s" -> timeLimit = number(arg, value, 1, 3_600);
                case "warmup" -> warmup = number(arg, value, 0, MAX_MSGS);
                default -> throw new BenchUsageException("unknown option '" + arg + "'; " + USAGE);
            }
        }
        if (rate > 0 && workload != Workload.W4) {
            throw new BenchUsageException("rate= applies to W4 only; " + workload + " appends as fast as it can");
        }
        if (reminders && workload != Workload.W1 && workload != Workload.W4) {
            throw new BenchUsageException("reminders= applies to W1 and W4, whose counters keep them; not " + workload);
        }
        if (vsW0 && (workload == Workload.W0 || workload == Workload.W4 || workload == Workload.W5)) {
            throw new BenchUsageException("--vs W0 compares the throughput of W1, W2 or W3, not " + workload);
        }
        if (warmup >= 0 && workload == Workload.W5) {
            throw new BenchUsageException("warmup= applies to W0 .. W4, not W5");
        }
        if (workload == Workload.W5 && snapshotMillis == 0) {
            throw new BenchUsageException("W5 kills the runtime and restores its last periodic snapshot: it needs"
                    + " snapshot-ms above 0");
        }
        if (snapshotMillis == 0 && reader == ReaderMode.EXACTLY_ONCE && workload != Workload.W4) {
            throw new BenchUsageException("snapshot-ms=0 (snapshots only at the stop) needs reader=uncommitted: a"
                    + " read-committed reader would see nothing until the run ends");
        }
        if (workload == Workload.W5 && !keysGiven) {
            keys = W5_DEFAULT_KEYS; // WORKLOADS.md: W5 builds a million counters
        }
        RunSettings settings = new RunSettings(msgs, keys, partitions, snapshotMillis, quietMillis, rate, timeLimit,
                reminders);
        return new BenchOptions(workload, settings, vsW0, warmup, reader);
    }

    private static long number(String arg, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new BenchUsageException("'" + arg + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new BenchUsageException("'" + arg + "' is out of range: expected " + min + " .. " + max);
        }
        return n;
    }
}
