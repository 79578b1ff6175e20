package io.stator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.JvmFlags;
import io.stator.runtime.StatorNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training run behind the {@code ./stator} launcher's class-data archive, and the archive it records. */
class ClassArchiveTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theTrainingRunsANodeTwiceAndReadsItsCommittedOutput() throws Exception {
        // run() throws if a step fails or tail reads another number of committed records than were sent.
        ClassArchiveTraining.run(dir.resolve("data"));
        assertTrue(Files.isDirectory(dir.resolve("data").resolve("snapshots")), "the node took snapshots");
    }

    /**
     * What the launcher does: record an archive with the training, then start a JVM with it. The runtime's classes
     * must then come from the archive, not from the jars. CDS archives classes from jars only, so the module folders
     * on this test's classpath are packed into jars first.
     */
    @Test
    void aJvmStartedWithTheRecordedArchiveMapsTheRuntimesClassesFromIt() throws Exception {
        String classpath = jarredClasspath();
        Path archive = dir.resolve("stator.jsa");
        Process training = java(List.of("-XX:ArchiveClassesAtExit=" + archive), classpath,
                ClassArchiveTraining.class.getName(), dir.resolve("training.log"));
        assertEquals(0, training.exitValue(), () -> "training failed: " + tail(dir.resolve("training.log")));
        assertTrue(Files.size(archive) > 0, "an archive was written");

        Process user = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), classpath,
                ClassArchiveTraining.class.getName(), dir.resolve("user.log"));
        assertEquals(0, user.exitValue(), () -> "second run failed: " + tail(dir.resolve("user.log")));
        String nodeClass = StatorNode.class.getName() + " source: shared objects file (top)";
        assertTrue(Files.readAllLines(dir.resolve("user.log")).stream().anyMatch(l -> l.endsWith(nodeClass)),
                () -> "StatorNode was not mapped from the archive; the log ends: " + tail(dir.resolve("user.log")));
    }

    private Process java(List<String> flags, String classpath, String mainClass, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Xmx256m");
        command.addAll(flags);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass + " did not exit within 120 s; its log ends: " + tail(log));
        }
        return process;
    }

    /** This JVM's classpath with every folder of main classes packed into a jar, and test classes left out. */
    private String jarredClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                entries.add(entry);
            } else if (!path.getFileName().toString().equals("test-classes")) {
                Path jar = dir.resolve("classes-" + n++ + ".jar");
                pack(path, jar);
                entries.add(jar.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path folder, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
