package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a restored state folder: a plain folder goes, a link to a folder on another disk stays a link. */
class FoldersTest {
    @TempDir
    Path dir;

    @Test
    void aPlainFolderIsDeletedWithEverythingInIt() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state/partition-0"));
        Files.writeString(state.resolve("CURRENT"), "x");
        Folders.deleteTree(dir.resolve("state"));
        assertFalse(Files.exists(dir.resolve("state")));
    }

    @Test
    void aLinkedFolderKeepsItsLinkAndLosesOnlyItsContents() throws Exception {
        Path otherDisk = Files.createDirectories(dir.resolve("other-disk/state"));
        Files.createDirectories(otherDisk.resolve("partition-0"));
        Files.writeString(otherDisk.resolve("partition-0/CURRENT"), "x");
        Path state = Files.createSymbolicLink(dir.resolve("state"), otherDisk);

        Folders.deleteTree(state);

        assertTrue(Files.isSymbolicLink(state), "the operator's link stays");
        try (var left = Files.list(otherDisk)) {
            assertEquals(List.of(), left.toList(), "the folder behind it is empty");
        }
    }
}
