package io.stator.benchmarks.driver;

import java.io.PrintStream;
import java.util.List;

/**
 * The benchmark driver behind {@code ./stator bench <W0..W5> [msgs=N] [keys=K] [partitions=P] [snapshot-ms=MS]
 * [snapshot-quiet-ms=MS] [rate=N] [time-limit-s=S] [warmup=N] [--vs W0]}: runs a workload of
 * {@code WORKLOADS.md} against a real runtime and prints a header (lines starting with {@code #}) and one result line per run on {@code out}.
 *
 * <p>Exit status: 0 when every run's output was checked and found right, 1 when a check failed ({@code ok=false}),
 * 2 for a usage error.
 */
public final class BenchMain {
    /** W4's offered rate without {@code rate=}: this share of a quick W1 run's throughput. */
    static final double W4_RATE_SHARE = 0.5;
    /** W4's quick W1 run uses at most this many messages. */
    static final long W4_CALIBRATION_MSGS = 200_000;
    /** W4 lowers {@code msgs} so that its offered load lasts at most this long. */
    static final long W4_MAX_OFFERED_SECONDS = 30;
    /** W4's paced warm-up round, unless {@code warmup=N} says otherwise: this many seconds of the offered rate. */
    static final long W4_WARMUP_SECONDS = 3;

    private BenchMain() {
    }

    /**
     * Runs the driver as a program: {@code java <flags> -cp benchmarks.jar io.stator.benchmarks.driver.BenchMain W1}.
     */
    public static void main(String[] args) {
        // As the launcher does, before any Chronicle or Undertow class loads.
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the driver; {@code ./stator bench ARGS...} calls this.
     *
     * @param args the arguments after {@code bench}
     * @param out  where the header and the result lines go
     * @param err  where usage errors go
     * @return the exit status: 0 all checks passed, 1 a check failed, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchUsageException e) {
            err.println("stator bench: " + e.getMessage());
            return 2;
        }
        for (String line : BenchHeader.lines(options)) {
            out.println(line);
        }
        out.flush();
        if (options.workload() == Workload.W5) {
            String line = RecoveryRun.run(options.settings());
            out.println(line);
            out.flush();
            return line.contains(" ok=true") ? 0 : 1;
        }
        return options.workload() == Workload.W4 ? latency(options, out) : throughput(options, out);
    }

    /**
     * W0 .. W3: one run (after a W0 run with {@code --vs W0}), read-committed. With {@code warmup=N} each of them
     * first runs once with N messages, reported as a header line only, so that the measured runs find the JIT warm.
     */
    private static int throughput(BenchOptions options, PrintStream out) {
        RunSettings settings = options.settings();
        if (options.warmupMsgs() > 0) {
            List<Workload> warmups =
                    options.vsW0() ? List.of(Workload.W0, options.workload()) : List.of(options.workload());
            for (Workload workload : warmups) {
                RunSettings warmup = settings.withMsgs(options.warmupMsgs());
                RunResult result = runOnce(workload, warmup, List.of(options.reader())).get(0);
                out.println("# warm-up, not measured: " + ResultLine.throughput(workload, warmup, result));
                out.flush();
            }
        }
        RunResult w0 = null;
        if (options.vsW0()) {
            w0 = runOnce(Workload.W0, settings, List.of(options.reader())).get(0);
            out.println(ResultLine.throughput(Workload.W0, settings, w0));
            out.flush();
        }
        RunResult result = runOnce(options.workload(), settings, List.of(options.reader())).get(0);
        out.println(ResultLine.throughput(options.workload(), settings, result));
        if (w0 != null) {
            out.println(ResultLine.ratio(options.workload(), result, w0));
        }
        out.flush();
        return result.ok() && (w0 == null || w0.ok()) ? 0 : 1;
    }

    /**
     * W4: W1 at a fixed offered rate, read at-least-once and exactly-once by two readers of the same run. A quick W1
     * run, read uncommitted (so that the epoch interval does not lower it), comes first either way: without
     * {@code rate=} half its throughput is the offered rate; with {@code rate=} it is only the warm-up. Without it, a
     * cold JVM interprets and compiles the whole path during the paced run's first second, and that backlog (up to
     * 250 ms at 40,000 msgs/s) would be most of the at-least-once p99 and p999 instead of the runtime under load.
     * Then a paced round, unmeasured ({@code warmup=N} messages, by default {@value #W4_WARMUP_SECONDS} s of the
     * rate), and the measured one.
     */
    private static int latency(BenchOptions options, PrintStream out) {
        RunSettings settings = options.settings();
        RunSettings quick = settings.withRate(0).withMsgs(Math.min(settings.msgs(), W4_CALIBRATION_MSGS))
                .withTimeLimit(Math.min(settings.timeLimitSeconds(), 60));
        RunResult calibration = runOnce(Workload.W1, quick, List.of(ReaderMode.AT_LEAST_ONCE)).get(0);
        String line = ResultLine.throughput(Workload.W1, quick, calibration);
        if (!calibration.ok()) {
            out.println(line); // the only run there was: its failure is the result
            out.flush();
            return 1;
        }
        long rate = settings.ratePerSecond();
        if (rate == 0) {
            rate = Math.max(1, Math.round(calibration.msgsPerSecond() * W4_RATE_SHARE));
            out.println("# W4 calibration (read-uncommitted): " + line);
            out.println("# W4 offered rate: " + Math.round(W4_RATE_SHARE * 100) + "% of the calibration's msgs_per_s = "
                    + rate + " msgs/s");
        } else {
            out.println("# W4 warm-up (read-uncommitted), not measured: " + line);
        }
        RunSettings paced = settings.withRate(rate)
                .withMsgs(Math.min(settings.msgs(), Math.max(1, rate * W4_MAX_OFFERED_SECONDS)));
        if (paced.msgs() < settings.msgs()) {
            out.println("# W4: msgs lowered to " + paced.msgs() + " so the offered load lasts at most "
                    + W4_MAX_OFFERED_SECONDS + " s");
        }
        List<ReaderMode> readers = List.of(ReaderMode.AT_LEAST_ONCE, ReaderMode.EXACTLY_ONCE);
        long warmupMsgs = options.warmupMsgs() == BenchOptions.WARMUP_DEFAULT
                ? Math.min(paced.msgs(), rate * W4_WARMUP_SECONDS) : options.warmupMsgs();
        if (warmupMsgs > 0) {
            // The paced run takes other paths than the full-speed one (polls that find nothing, the exactly-once
            // reader): without a paced round first, C2 compiled those for seconds of the measured round, on one of
            // the two cores (JFR), and the at-least-once p99 was 5.3-9.7 ms instead of 4.3-6.2 at 40,000 msgs/s.
            RunSettings warmup = paced.withMsgs(warmupMsgs);
            for (RunResult result : runOnce(Workload.W4, warmup, readers)) {
                out.println("# W4 paced warm-up, not measured: " + ResultLine.latency(warmup, result));
            }
        }
        out.flush();
        List<RunResult> results = runOnce(Workload.W4, paced, readers);
        boolean ok = true;
        for (RunResult result : results) {
            out.println(ResultLine.latency(paced, result));
            ok &= result.ok();
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /** Runs once; a run that cannot be carried out (e.g. the runtime fails to start) is a failed result. */
    private static List<RunResult> runOnce(Workload workload, RunSettings settings, List<ReaderMode> modes) {
        try {
            return WorkloadRun.execute(workload, settings, modes);
        } catch (RuntimeException e) {
            String problem = "the run failed: " + e;
            return modes.stream().map(mode -> RunResult.failed(mode, problem)).toList();
        }
    }
}
