package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionManifestTest {
    private static final PartitionManifest MANIFEST = new PartitionManifest(7, 2, new KeyGroupRange(64, 95), 128,
            1_763_745_600_000L, List.of(new PartitionManifest.FileEntry("000012.sst", 48213, 0x9a3c01f2),
            new PartitionManifest.FileEntry("CURRENT", 16, 0x0badf00d)));

    @Test
    void aManifestRoundTripsThroughItsTextForm() throws SnapshotCorruptedException {
        byte[] encoded = MANIFEST.encode();
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("stator-partition-manifest 1\nsnapshot 7\npartition 2\nkey-groups 64 95\n"
                + "max-parallelism 128\ncreated-at 1763745600000\nfile 000012.sst 48213 9a3c01f2\n"
                + "file CURRENT 16 badf00d\ncrc32c "), text);
        assertEquals(MANIFEST, PartitionManifest.decode(encoded, "test"));
        assertEquals("partition-2.manifest", MANIFEST.manifestPath());
        assertEquals("partition-2/CURRENT", MANIFEST.filePath(MANIFEST.files().get(1)));
    }

    @Test
    void aChangedByteIsDetectedNamingTheManifest() {
        byte[] encoded = MANIFEST.encode();
        encoded[40] ^= 0x01;
        SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class,
                () -> PartitionManifest.decode(encoded, "snapshot 7 file partition-2.manifest"));
        assertTrue(e.getMessage().startsWith("snapshot 7 file partition-2.manifest is corrupt: its CRC32C is"),
                e.getMessage());
    }

    @Test
    void aTruncatedManifestIsRefused() {
        byte[] encoded = MANIFEST.encode();
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length / 2);
        assertThrows(SnapshotCorruptedException.class, () -> PartitionManifest.decode(truncated, "m"));
    }
}
