package io.stator.egress;

import io.stator.logs.LogContext;
import io.stator.logs.internal.ChronicleQueues;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress logs under one folder ({@code <data>/egress}), one per egress at {@code <root>/<namespace>/<name>},
 * opened on first use. A namespace with slashes ({@code com/example}) becomes nested folders. Thread-safe.
 */
public final class EgressLogs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EgressLogs.class);

    /**
     * The default of {@link #EgressLogs(Path, LogContext, int)}'s bound: more than a module that names its egresses
     * uses, a stop for one that derives names from its data, each of which would be a log with its own files,
     * memory maps and ~17 ms of its partition's time to create.
     */
    public static final int DEFAULT_MAX_LOGS = 1_000;

    private final Path root;
    private final LogContext context;
    private final int maxLogs;
    private final Map<TypeName, EgressLog> logs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param root    the folder holding every egress's log
     * @param context settings for every log; concluded here
     */
    public EgressLogs(Path root, LogContext context) {
        this(root, context, Integer.MAX_VALUE);
    }

    /**
     * @param root    the folder holding every egress's log
     * @param context settings for every log; concluded here
     * @param maxLogs how many logs may be open, for {@link #refusal}; at least 1
     */
    public EgressLogs(Path root, LogContext context, int maxLogs) {
        if (maxLogs < 1) {
            throw new IllegalArgumentException("maxLogs must be at least 1, was " + maxLogs);
        }
        this.root = Objects.requireNonNull(root, "root");
        this.context = context.conclude();
        this.maxLogs = maxLogs;
    }

    /**
     * Whether a record for {@code egress} may be taken: not if its log is not open and would be one more than the
     * bound. {@link #get} itself does not refuse (nor count exactly: two threads may both take the last place),
     * so call this before effects that cannot be taken back. Logs found on disk at the start count too.
     *
     * @return null if it may, else why not
     */
    public String refusal(TypeName egress) {
        if (logs.size() < maxLogs || logs.containsKey(egress)) {
            return null;
        }
        return "egress " + egress + " would be one more egress log than the " + maxLogs + " this node keeps open"
                + " (./stator run --max-egresses)";
    }

    /**
     * @return the egress's log, opened (and created) on first use
     * @throws IllegalArgumentException if the name cannot be a folder (a {@code .} or {@code ..} segment,
     *                                  an empty segment, a backslash or NUL)
     */
    public EgressLog get(TypeName egress) {
        requireOpen();
        EgressLog log = logs.computeIfAbsent(egress, name -> EgressLog.open(name, folderOf(name), context));
        if (closed) { // closed while opening: don't leak the new log
            log.close();
            requireOpen();
        }
        return log;
    }

    /** @return the egress's log if it is open or exists on disk; never creates one */
    public Optional<EgressLog> find(TypeName egress) {
        requireOpen();
        EgressLog open = logs.get(egress);
        if (open != null) {
            return Optional.of(open);
        }
        return ChronicleQueues.exists(folderOf(egress)) ? Optional.of(get(egress)) : Optional.empty();
    }

    /**
     * @return the folder of an egress's log
     * @throws IllegalArgumentException if the name cannot be a folder
     */
    public Path folderOf(TypeName egress) {
        Path folder = root;
        for (String segment : egress.namespace().split("/", -1)) {
            folder = folder.resolve(checkedSegment(segment, egress));
        }
        return folder.resolve(checkedSegment(egress.name(), egress));
    }

    /**
     * Opens every egress log that exists under the root folder, so that recovery reaches the egresses this run
     * has not used yet.
     *
     * @return the open logs, those found on disk included
     */
    public List<EgressLog> openExisting() {
        requireOpen();
        if (!Files.isDirectory(root)) {
            return openLogs();
        }
        // Every log, however deep its namespace, and through links (an egress folder on another disk): a log missed
        // here keeps its uncommitted epochs open, and this run's first commit would make them visible beside
        // their re-run.
        try (Stream<Path> files = Files.walk(root, Integer.MAX_VALUE, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> folders = files
                    .filter(ChronicleQueues::isMetadataFile)
                    .map(Path::getParent)
                    .toList();
            for (Path folder : folders) {
                TypeName egress = egressOf(folder);
                if (egress != null) {
                    get(egress);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the egress logs under " + root + ": " + e.getMessage(), e);
        }
        return openLogs();
    }

    /**
     * Recovery after a restart: {@link EgressLog#recover recovers} every egress log on disk to the last completed
     * snapshot.
     *
     * @param completedEpoch the epoch of the last completed snapshot, or {@link EgressLog#NO_EPOCH}
     * @return the highest epoch any egress log names: the runtime continues with epochs above it
     */
    public long recoverAll(long completedEpoch) {
        long highest = EgressLog.NO_EPOCH;
        for (EgressLog log : openExisting()) {
            log.recover(completedEpoch);
            highest = Math.max(highest, log.highestEpoch());
        }
        return highest;
    }

    /**
     * Commits an epoch in every open log: call it when the snapshot of that epoch completed. Logs not opened in
     * this run hold no records of current epochs ({@link #recoverAll} decided their older ones).
     */
    public void commitAll(long epoch) {
        for (EgressLog log : openLogs()) {
            log.commit(epoch);
        }
    }

    /**
     * Retention for every open log ({@link EgressLog#releaseOlderThan}); call it after {@link #recoverAll}, which
     * opens every log on disk.
     *
     * @return how many files were deleted
     */
    public int releaseOlderThan(long cutoffMillis) {
        int deleted = 0;
        for (EgressLog log : openLogs()) {
            deleted += log.releaseOlderThan(cutoffMillis);
        }
        return deleted;
    }

    /** @return the logs opened so far */
    public List<EgressLog> openLogs() {
        return List.copyOf(logs.values());
    }

    /** Closes every open log. Call it after appenders and readers (HTTP handlers included) stopped. */
    @Override
    public void close() {
        closed = true;
        for (EgressLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed: {}", log, e.toString());
            }
        }
        logs.clear();
    }

    /** @return the egress whose log is in the folder, or null (with a warning) if the folder is no egress's */
    private TypeName egressOf(Path folder) {
        Path relative = root.relativize(folder);
        if (relative.getNameCount() < 2) {
            LOG.warn("ignoring the log in {}: not at <namespace>/<name> under {}", folder, root);
            return null;
        }
        StringBuilder namespace = new StringBuilder();
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            namespace.append(i == 0 ? "" : "/").append(relative.getName(i));
        }
        return TypeName.typeNameOf(namespace.toString(), relative.getFileName().toString());
    }

    private static String checkedSegment(String segment, TypeName egress) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0
                || segment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("egress name '" + egress + "' cannot be a folder: bad segment '"
                    + segment + "'");
        }
        return segment;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("egress logs under " + root + " are closed");
        }
    }
}
