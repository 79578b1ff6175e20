package io.stator.cli;

import io.stator.egress.TailCommand;
import io.stator.ingress.SendCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code ./stator} command line: {@code run}, {@code send}, {@code tail}. Usage errors print one line and
 * exit with status 2.
 */
public final class StatorMain {
    static final String HELP = """
            usage: ./stator <command> [options]

            commands:
              run --module FILE [--data DIR] [--port N] [--bind ADDR] [--partitions P] [--max-parallelism N]
                  [--snapshot-interval MS] [--snapshot-quiet MS] [--from DIR] [--token-file FILE]
                  [--allow-state-reads] [--cache-entries N] [--egress-retention HOURS] [--max-ingress-lag N]
                  [--max-egresses N] [--max-connections N]
                  Runs the functions a module.yaml names on a data folder, with the HTTP API on ADDR:N.
                    --module FILE        the module.yaml (required)
                    --data DIR           the data folder: ingress log, egress logs, state (default ./stator-data);
                                         one runtime at a time: a folder in use is refused
                    --port N             HTTP port for ingress and egress (default 8090; 0 picks a free one)
                    --bind ADDR          address to listen on (default 127.0.0.1)
                    --partitions P       partitions (threads); default the number of cores. May change between
                                         runs: state is rescaled from the snapshot
                    --max-parallelism N  key groups (default 128). Fixed per data folder
                    --snapshot-interval MS  how often a snapshot starts (start to start); it also commits the
                                         output before it to read-committed readers (default 1000; 0: only on
                                         request and at stop)
                    --snapshot-quiet MS  also start one early once output has been still this long, if some is
                                         waiting and a quarter interval has passed since the last start: the
                                         end of a burst commits at once (default 10; 0: off)
                    --from DIR           start from the newest snapshot in DIR (a savepoint), with any partition
                                         count
                    --token-file FILE    bearer token required by ingress, admin API and savepoints; needed when
                                         --bind is not a loopback address (without it such a node refuses them)
                    --allow-state-reads  let GET /v1/admin/state/NS/TYPE/ID show an address's state (debugging;
                                         off by default: it reveals user data)
                    --cache-entries N    state values each partition keeps in memory; the rest is read from
                                         RocksDB (default 100000)
                    --egress-retention HOURS  delete egress output older than HOURS, an hour's file at a time,
                                         once all of it is committed; readers asked for older offsets start
                                         at the oldest record kept (default 0: keep everything)
                    --max-ingress-lag N  the HTTP ingress answers 503 (retry later) while a partition has more
                                         than N documents of the ingress log left to read (a record, or a
                                         batch of them); a busy or briefly backpressured partition only falls
                                         behind (default 1000000; 0: no bound)
                    --max-egresses N     egress logs the node keeps open, the dead letters' included (default
                                         1000); a call that emits to one more fails into the dead letters
                    --max-connections N  HTTP connections the node holds open, event streams' included; beyond
                                         them it accepts no more until one closes (default 1000, or a quarter
                                         of the process's file-descriptor limit if lower)
                  Exits with status 70 if a partition's thread, or an HTTP ingress append, dies of a JVM error (a
                  memory-mapped log on a full disk, say): start it again to resume from the last snapshot.
              serve --module FILE [--port N] [--bind ADDR] [--functions-on-io-threads] [--max-connections N]
                  Serves the embedded functions a module.yaml names over HTTP as remote functions (StateFun's
                  request-reply protocol), for a runtime whose module file points an endpoint at it.
                    --port N             HTTP port (default 8000; 0 picks a free one)
                    --bind ADDR          address to listen on (default 127.0.0.1)
                    --functions-on-io-threads  run the functions on the server's I/O threads, not on
                                         worker threads: less CPU per request, but only for functions
                                         that never block (a blocked function stalls its I/O thread)
                    --max-connections N  connections the server holds open; beyond them it accepts no more
                                         until one closes (default 1000, or a quarter of the process's
                                         file-descriptor limit if lower). A connection that keeps the server
                                         waiting for bytes for 2 minutes is closed
              send <namespace/type> <id> <payload> [--type TYPENAME] [--url URL] [--idempotency-key KEY]
              send --batch FILE|- [--url URL] [--idempotency-key KEY]
                  Sends one message through the HTTP ingress of a running runtime (default URL
                  http://127.0.0.1:8090). Built-in types take text payloads: "42", "true", "hello".
                  A request the runtime refuses as backpressured (503) is sent again after its
                  Retry-After, for up to 2 minutes; with --idempotency-key, so is one the runtime could not
                  be reached for or did not answer (a restart), every second.
                    --batch FILE   send FILE's records (- reads standard input), one JSON object per line:
                                   {"function":"NS/TYPE","id":"..","type":"TYPENAME","value":".."}, in
                                   batches of up to 1024 records, each all or none, sent as they are read
                                   (without --idempotency-key also when the input pauses: a pipe
                                   streams); with --idempotency-key, batch n carries KEY/n
              tail <namespace/egress> [--from N] [--uncommitted] [--follow] [--limit N] [--url URL]
                  Prints an egress's records, one per line: committed ones only unless --uncommitted;
                  --from N starts at offset N; --follow keeps waiting for new records (also for the first
                  record of an egress that has none yet, and through restarts of the runtime: it connects
                  again every second and goes on after the last record printed); --limit N stops after N
                  records.
              savepoint [--name NAME] [--url URL] [--token-file FILE]
                  Takes a snapshot of a running runtime now and keeps it in DATA/savepoints/NAME (default
                  savepoint-<id>); start from it with ./stator run --from DATA/savepoints/NAME.
              bench <W0|W1|W2|W3|W4|W5> [msgs=N] [keys=K] [partitions=P] [snapshot-ms=MS]
                    [snapshot-quiet-ms=MS] [warmup=N] [rate=N] [time-limit-s=S] [reader=committed|uncommitted]
                    [reminders=on|off] [--vs W0]
                  Runs a benchmark workload (../shared/WORKLOADS.md) on a temporary data folder and prints a header
                  and one result line per run, ending ok=true|false (exit 1 when the output check fails).
                    msgs=N keys=K partitions=P   workload size (defaults 1000000, 10000, cores)
                    snapshot-ms=MS               snapshot interval (default 1000; 0: only at the stop)
                    snapshot-quiet-ms=MS         start a snapshot early once output is still this long, as
                                                 run --snapshot-quiet (default 10; 0: off)
                    reader=uncommitted           time through a read-uncommitted reader (default: committed;
                                                 needed with snapshot-ms=0)
                    warmup=N                     run N messages first, unmeasured (W4: a round at its
                                                 rate, by default 3 s of it; warmup=0: none)
                    rate=N                       W4's offered rate (default 50% of a quick W1 run,
                                                 which runs first either way, as a warm-up)
                    time-limit-s=S               give up (ok=false) after S seconds (default 80)
                    reminders=on                 W1, W4: every message also re-arms a delayed message of its
                                                 counter to itself, due in an hour (a cart's idle expiry), so
                                                 each key keeps one pending (default off)
                    --vs W0                      also run W0 and print the ratio
                  W5 builds keys counters (default 1000000) in a child JVM, SIGKILLs it once a periodic snapshot
                  holds them, restarts, and reports the restart time to the first processed record and the
                  snapshot's bytes per counter (needs snapshot-ms above 0).
              chaos [--kills K] [--seed S] [--msgs M] [--partitions P] [--snapshot-interval MS] [--addresses N]
                  [--inbox BYTES] [--cache-entries N] [--changelog-part BYTES] [--rescale] [--dir DIR]
                  The crash test of exactly-once: runs the runtime as a child JVM, SIGKILLs it K times (default 3)
                  at random moments while M commands (default 2000) flow, restarts it, then checks state and the
                  committed egress. Prints one line ending ok=true|false; exit 0 when ok, 1 when not (details and
                  the kept work folder on stderr). --rescale starts every life with another partition count.
                  --cache-entries N (default 16) keeps the node's state cache small, so that state is evicted
                  to RocksDB, and into the snapshots' changelogs, between snapshots. --changelog-part BYTES
                  (default 4096, the least; the runtime's own default is 8 MiB) splits those changelogs into
                  several files, and makes snapshots whose changelog passes four of them full.
              help
                  Prints this text.

            environment:
              STATOR_CLASSPATH   extra classpath entries (your function modules)
              STATOR_JAVA_OPTS   extra JVM options
              STATOR_CDS=off     start without the class-data archive the launcher records once per build
                                 (benchmarks/target/stator.jsa; it takes ~0.7 s off a runtime's start)
            """;

    private StatorMain() {
    }

    public static void main(String[] args) {
        // Before any Chronicle or Undertow class loads: no announcer banner, and Undertow logs through SLF4J.
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        int status = run(args, System.out, System.err);
        if (status != RunCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /**
     * The benchmark driver lives in the benchmarks module, which depends on this one; it is found on the
     * launcher's classpath by name.
     */
    private static int bench(String[] args, PrintStream out, PrintStream err) {
        try {
            Class<?> driver = Class.forName("io.stator.benchmarks.driver.BenchMain");
            return (int) driver.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, args, out, err);
        } catch (ClassNotFoundException e) {
            err.println("stator bench: the benchmark driver is not on the classpath (run ./stator from the repository)");
            return 2;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the benchmark driver has no run(String[], PrintStream, PrintStream)", e);
        }
    }

    /** @return the exit status, or {@link RunCommand#KEEP_RUNNING} when a runtime was started */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("stator: a command is required (run, serve, send, tail, savepoint); see ./stator --help");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "run" -> RunCommand.run(rest, out, err);
                case "serve" -> ServeCommand.run(rest, out, err);
                case "send" -> SendCommand.run(rest, out, err);
                case "tail" -> TailCommand.run(rest, out, err);
                case "bench" -> bench(rest, out, err);
                case "chaos" -> io.stator.chaos.ChaosCommand.run(rest, out, err);
                case "savepoint" -> SavepointCommand.run(rest, out, err);
                case "help", "--help", "-h" -> {
                    out.print(HELP);
                    yield 0;
                }
                default -> {
                    err.println("stator: unknown command '" + args[0] + "'; see ./stator --help");
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("stator " + e.getMessage());
            return 2;
        }
    }
}
