package io.stator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line rejects bad input with one line and exit status 2. */
class StatorMainTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineError(Result r, String expected) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void helpListsEveryCommandAndFlag() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String word : new String[] {"run", "send", "tail", "--module", "--data", "--port", "--bind", "--partitions",
                "--max-parallelism", "--snapshot-interval", "--from", "--token-file", "--allow-state-reads", "--type", "--from", "--uncommitted", "--follow", "--url"}) {
            assertTrue(r.out().contains(word), "help mentions " + word);
        }
    }

    /** The README's flag table and --help must agree: every flag a row documents is in its command's help. */
    @Test
    void everyFlagTheReadmeDocumentsIsInTheHelpOfItsCommand() throws Exception {
        String help = run("--help").out();
        Map<String, String> helpByCommand = new HashMap<>();
        String command = null;
        for (String line : help.split("\n")) {
            Matcher start = Pattern.compile("^  ([a-z]+)\\b.*").matcher(line);
            if (start.matches()) {
                command = start.group(1);
            }
            if (command != null) {
                helpByCommand.merge(command, line + "\n", String::concat);
            }
        }
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(l -> l.matches("^\\| `(run|serve|send|tail|savepoint|chaos|bench) .*")).toList();
        assertTrue(rows.size() >= 20, "the README's flag table: " + rows.size() + " rows");
        Pattern flag = Pattern.compile("--[a-z][a-z-]*|\\b[a-z][a-z-]*=(?=[A-Z])");
        for (String row : rows) {
            String cells = row.split("\\|")[1];
            String rowCommand = cells.substring(cells.indexOf('`') + 1).split(" ")[0];
            Matcher m = flag.matcher(cells);
            while (m.find()) {
                String section = helpByCommand.getOrDefault(rowCommand, "");
                assertTrue(section.contains(m.group()), "--help of " + rowCommand + " mentions " + m.group());
            }
        }
    }

    @Test
    void anUnknownFlagIsAOneLineErrorWithStatus2() {
        assertOneLineError(run("run", "--module", "x.yaml", "--colour", "blue"), "unknown flag --colour");
    }

    @Test
    void aMissingModuleFlagIsAOneLineError() {
        assertOneLineError(run("run"), "--module is required");
    }

    @Test
    void aMissingModuleFileIsAOneLineErrorNamingIt() {
        assertOneLineError(run("run", "--module", dir.resolve("nope.yaml").toString()), "nope.yaml: no such module file");
    }

    @Test
    void aMalformedModuleFileIsAOneLineErrorNamingTheLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "kind: io.stator.v1/embedded\nspec:\n  modules: [io.nope.Missing]\n");
        assertOneLineError(run("run", "--module", file.toString(), "--data", dir.resolve("d").toString()),
                "bad.yaml:3: module class io.nope.Missing is not on the classpath");
        Files.writeString(file, "kind: io.stator.v1/embedded\nspec:\n  modules: [a\n");
        assertOneLineError(run("run", "--module", file.toString()), "not valid YAML");
        Files.writeString(file, "kind: io.statefun.kafka.v1/ingress\nspec:\n  topics: []\n");
        assertOneLineError(run("run", "--module", file.toString()), "bad.yaml:1: unknown kind 'io.statefun.kafka.v1/ingress'");
    }

    @Test
    void aDataFolderThatIsAFileIsAOneLineErrorNamingIt() throws Exception {
        Path module = dir.resolve("module.yaml");
        Files.writeString(module, "kind: io.stator.v1/embedded\nspec:\n  modules:\n    - "
                + ThreadReportingModule.class.getName() + "\n");
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertOneLineError(run("run", "--module", module.toString(), "--data", file.toString(), "--port", "0"),
                "cannot create the data folder " + file);
    }

    @Test
    void aSavepointOfARuntimeThatIsNotThereSaysTheConnectionWasRefused() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Result r = run("savepoint", "--url", "http://127.0.0.1:" + closed);
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("connection refused (is a Stator runtime running there?)"), r.err());
    }

    @Test
    void aBadNumberIsAOneLineError() {
        assertOneLineError(run("run", "--module", "m.yaml", "--port", "eighty"), "--port must be a number");
        assertOneLineError(run("run", "--module", "m.yaml", "--partitions", "0"), "--partitions must be between 1");
        assertOneLineError(run("run", "--module", "m.yaml", "--egress-retention", "-1"),
                "--egress-retention must be between 0");
    }

    @Test
    void anUnknownCommandIsAOneLineError() {
        assertOneLineError(run("launch"), "unknown command 'launch'");
    }
}
