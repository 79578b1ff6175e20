package io.stator.cli;

import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.config.ModuleConfigException;
import io.stator.runtime.config.ModuleFile;
import io.stator.sdk.StatefulFunctionSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./stator serve}: serves the functions of an embedded module file over HTTP with StateFun's
 * request-reply protocol, so a runtime (Stator's or StateFun's) can call them as remote functions.
 */
final class ServeCommand {
    private static final Set<String> VALUE_FLAGS = Set.of("--module", "--port", "--bind", "--max-connections");
    private static final String FUNCTIONS_ON_IO_THREADS = "--functions-on-io-threads";

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Started started = start(args, out, err);
        if (started.server() == null) {
            return started.status();
        }
        RemoteFunctionServer server = started.server();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stator-serve-shutdown"));
        return RunCommand.KEEP_RUNNING;
    }

    /** What {@link #start} did: the running server, or none and the exit status to end with. */
    record Started(RemoteFunctionServer server, int status) {
    }

    /** Parses the arguments and starts the server; the caller owns it. */
    static Started start(String[] args, PrintStream out, PrintStream err) {
        Args a = new Args("serve", args, VALUE_FLAGS, Set.of("--help", FUNCTIONS_ON_IO_THREADS));
        if (a.has("--help")) {
            out.print(StatorMain.HELP);
            return new Started(null, 0);
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("serve: unexpected argument '" + a.positional().get(0) + "'");
        }
        Path moduleFile = Path.of(a.required("--module"));
        int port = a.intValue("--port", 8000, 0, 65535);
        int maxConnections = a.intValue("--max-connections",
                io.stator.runtime.StatorConfig.defaultMaxHttpConnections(), 1, 1_000_000);
        String bind = a.get("--bind", "127.0.0.1");
        ModuleFile module;
        try {
            module = ModuleFile.load(moduleFile);
        } catch (ModuleConfigException e) {
            err.println("stator serve: " + e.getMessage());
            return new Started(null, 2);
        }
        if (module.embeddedFunctions().isEmpty()) {
            err.println("stator serve: " + moduleFile + " names no functions to serve (kind io.stator.v1/embedded)");
            return new Started(null, 2);
        }
        RemoteFunctionServer.Builder builder = RemoteFunctionServer.builder().bind(bind, port)
                .withFunctionsOnIoThreads(a.has(FUNCTIONS_ON_IO_THREADS))
                .withIdleTimeout(io.stator.runtime.StatorConfig.DEFAULT_HTTP_IDLE_TIMEOUT)
                .withMaxConnections(maxConnections);
        for (StatefulFunctionSpec spec : module.embeddedFunctions().values()) {
            builder.withFunction(spec);
        }
        RemoteFunctionServer server;
        try {
            server = builder.start();
        } catch (RuntimeException e) {
            err.println("stator serve: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            return new Started(null, 2);
        }
        String threads = a.has(FUNCTIONS_ON_IO_THREADS) ? ", functions on I/O threads" : "";
        out.println("Serving " + module.embeddedFunctions().keySet() + " on " + server.baseUrl()
                + " (StateFun request-reply protocol" + threads + "; Ctrl-C stops it)");
        return new Started(server, 0);
    }
}
