package io.stator.runtime;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM flags a Stator JVM needs on Java 17, for code that starts one: the crash test's child runtime, JMH forks
 * (their {@code @Fork} annotations name the constants one by one, as annotations need constants). The
 * {@code ./stator} script and the root pom's {@code stator.jvm.args} carry the same list for launchers and tests.
 */
public final class JvmFlags {
    /** Agrona's {@code UnsafeBuffer} uses {@code jdk.internal.misc.Unsafe}. */
    public static final String AGRONA = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    // Chronicle Queue: memory mapping, cleaners and its runtime-compiled method readers and writers.
    public static final String CHRONICLE_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String CHRONICLE_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String CHRONICLE_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String CHRONICLE_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String CHRONICLE_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    public static final String CHRONICLE_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String CHRONICLE_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String CHRONICLE_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String CHRONICLE_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    /** Nothing may phone home. */
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    /** Every flag above, plus quiet logging settings. */
    public static final List<String> ALL = List.of(CHRONICLE_REF, CHRONICLE_NIO, CHRONICLE_MISC, CHRONICLE_JAVAC_FILE,
            CHRONICLE_JAVAC, CHRONICLE_LANG, CHRONICLE_REFLECT, CHRONICLE_IO, CHRONICLE_UTIL, AGRONA, NO_ANALYTICS,
            "-Dchronicle.announcer.disable=true", "-Dorg.jboss.logging.provider=slf4j");

    private JvmFlags() {
    }

    /**
     * The class-data sharing flags this JVM was started with ({@code -XX:SharedArchiveFile=...} and the
     * {@code -Xlog:cds...} settings that go with it; the {@code ./stator} launcher passes them), for a child JVM
     * started with the same classpath, which can map the same archive: it then starts as fast as its parent did.
     *
     * @return those flags, or an empty list when this JVM has no archive of its own
     */
    public static List<String> classDataSharing() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-XX:SharedArchiveFile=") || arg.startsWith("-Xlog:cds"))
                .toList();
    }
}
