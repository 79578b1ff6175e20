package io.stator.benchmarks.router;

/** The JVM flags Stator needs on Java 17, for JMH forks (which do not inherit surefire's argLine). */
final class JvmFlags {
    static final String AGRONA = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private JvmFlags() {
    }
}
