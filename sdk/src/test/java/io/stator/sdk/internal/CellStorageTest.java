package io.stator.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link CellStorage}: declared-state enforcement, poisoned cells, and the mutations a host reads back. */
final class CellStorageTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("example", "counter");
    private static final Address ALICE = new Address(COUNTER, "alice");
    private static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
    private static final ValueSpec<String> NAME = ValueSpec.named("name").withUtf8StringType();
    private static final int COUNT_CELL = 0;
    private static final int NAME_CELL = 1;

    private CellStorage storage;

    @BeforeEach
    void newStorageForAlice() {
        StatefulFunctionSpec spec = StatefulFunctionSpec.builder(COUNTER)
                .withValueSpecs(COUNT, NAME)
                .withSupplier(() -> (StatefulFunction) (context, message) -> StatefulFunction.DONE)
                .build();
        storage = new CellStorage(new StateLayout(spec));
        storage.reset(ALICE);
    }

    private static void assertFailsNaming(Executable call, String... fragments) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing in: " + e.getMessage());
        }
    }

    @Test
    void layoutIndexesStatesInDeclarationOrder() {
        StateLayout layout = storage.layout();

        assertEquals(2, layout.size());
        assertEquals(COUNT_CELL, layout.indexOf("count"));
        assertEquals(NAME_CELL, layout.indexOf("name"));
        assertEquals(-1, layout.indexOf("missing"));
        assertEquals(NAME, layout.spec(NAME_CELL));
        assertEquals(ALICE, storage.self());
    }

    @Test
    void anUnsetStateReadsAsEmptyAndIsUntouched() {
        assertEquals(Optional.empty(), storage.get(COUNT));
        assertEquals(CellStorage.Mutation.NONE, storage.mutation(COUNT_CELL));
        assertNull(storage.value(COUNT_CELL));
    }

    @Test
    void getAfterSetReturnsTheValue() {
        storage.set(COUNT, 41);
        storage.set(COUNT, 42);

        assertEquals(Optional.of(42), storage.get(COUNT));
    }

    @Test
    void setIsReportedAsModifiedWithTheEncodedBytes() {
        storage.set(NAME, "Hi");

        assertEquals(CellStorage.Mutation.MODIFIED, storage.mutation(NAME_CELL));
        assertArrayEquals(WrapperCodec.encodeString("Hi"), storage.value(NAME_CELL));
        assertEquals(CellStorage.Mutation.NONE, storage.mutation(COUNT_CELL));
    }

    @Test
    void removeIsReportedAsDeletedAndReadsAsEmpty() {
        storage.load(COUNT_CELL, WrapperCodec.encodeInt(5));

        storage.remove(COUNT);

        assertEquals(CellStorage.Mutation.DELETED, storage.mutation(COUNT_CELL));
        assertNull(storage.value(COUNT_CELL));
        assertEquals(Optional.empty(), storage.get(COUNT));
    }

    @Test
    void theLastWriteDecidesTheMutation() {
        storage.set(COUNT, 1);
        storage.remove(COUNT);
        assertEquals(CellStorage.Mutation.DELETED, storage.mutation(COUNT_CELL));

        storage.set(COUNT, 2);
        assertEquals(CellStorage.Mutation.MODIFIED, storage.mutation(COUNT_CELL));
    }

    @Test
    void aLoadedValueIsReadBackWithoutBeingAMutation() {
        storage.load(COUNT_CELL, WrapperCodec.encodeInt(7));

        assertEquals(Optional.of(7), storage.get(COUNT));
        assertEquals(CellStorage.Mutation.NONE, storage.mutation(COUNT_CELL));
    }

    @Test
    void aLoadReplacesAValueReadOrWrittenBefore() {
        storage.set(COUNT, 1);
        storage.get(COUNT);

        storage.load(COUNT_CELL, WrapperCodec.encodeInt(9));

        assertEquals(Optional.of(9), storage.get(COUNT));
    }

    @Test
    void resetClearsValuesAndMutationsForTheNextAddress() {
        storage.set(COUNT, 3);
        Address bob = new Address(COUNTER, "bob");

        storage.reset(bob);

        assertEquals(bob, storage.self());
        assertEquals(Optional.empty(), storage.get(COUNT));
        assertEquals(CellStorage.Mutation.NONE, storage.mutation(COUNT_CELL));
    }

    @Test
    void anUndeclaredStateFailsNamingFunctionAddressAndState() {
        ValueSpec<Integer> undeclared = ValueSpec.named("visits").withIntType();

        assertFailsNaming(() -> storage.get(undeclared), "example/counter", "example/counter/alice", "'visits'",
                "not declared");
        assertFailsNaming(() -> storage.set(undeclared, 1), "example/counter/alice", "'visits'");
        assertFailsNaming(() -> storage.remove(undeclared), "example/counter/alice", "'visits'");
    }

    @Test
    void aSpecWithTheDeclaredNameButAnotherTypeFailsNamingBothTypes() {
        ValueSpec<Long> countAsLong = ValueSpec.named("count").withLongType();

        assertFailsNaming(() -> storage.get(countAsLong), "example/counter/alice", "'count'",
                "io.statefun.types/int", "io.statefun.types/long");
        assertFailsNaming(() -> storage.set(countAsLong, 1L), "'count'", "io.statefun.types/long");
        assertFailsNaming(() -> storage.remove(countAsLong), "'count'");
        assertEquals(CellStorage.Mutation.NONE, storage.mutation(COUNT_CELL));
    }

    @Test
    void anEqualSpecThatIsAnotherInstanceIsAccepted() {
        ValueSpec<Integer> sameNameAndType = ValueSpec.named("count").thatExpireAfterWrite(Duration.ofHours(1)).withIntType();

        storage.set(sameNameAndType, 5);

        assertEquals(Optional.of(5), storage.get(COUNT));
    }

    @Test
    void aStoredValueOfAnotherTypePoisonsTheCellAndFailsOnRead() {
        storage.load(COUNT_CELL, Types.LONG_TYPENAME, WrapperCodec.encodeLong(5L));

        assertFailsNaming(() -> storage.get(COUNT), "example/counter/alice", "'count'",
                "io.statefun.types/long", "io.statefun.types/int");
        assertNull(storage.value(COUNT_CELL));
    }

    @Test
    void aPoisonedCellCanBeOverwritten() {
        storage.load(COUNT_CELL, Types.LONG_TYPENAME, WrapperCodec.encodeLong(5L));

        storage.set(COUNT, 6);

        assertEquals(Optional.of(6), storage.get(COUNT));
        assertEquals(CellStorage.Mutation.MODIFIED, storage.mutation(COUNT_CELL));
    }

    @Test
    void aPoisonedCellCanBeRemoved() {
        storage.poison(COUNT_CELL, "was written by an older version");
        assertFailsNaming(() -> storage.get(COUNT), "'count'", "was written by an older version");

        storage.remove(COUNT);

        assertEquals(Optional.empty(), storage.get(COUNT));
        assertEquals(CellStorage.Mutation.DELETED, storage.mutation(COUNT_CELL));
    }

    @Test
    void aStoredValueOfTheDeclaredTypeOrWithoutTypeLoadsNormally() {
        storage.load(COUNT_CELL, Types.INT_TYPENAME, WrapperCodec.encodeInt(8));
        storage.load(NAME_CELL, null, WrapperCodec.encodeString("Al"));

        assertEquals(Optional.of(8), storage.get(COUNT));
        assertEquals(Optional.of("Al"), storage.get(NAME));
    }

    @Test
    void undecodableBytesFailOnReadNamingStateAndType() {
        storage.load(COUNT_CELL, new byte[] {0x0d, 0x01});

        assertFailsNaming(() -> storage.get(COUNT), "example/counter/alice", "'count'", "io.statefun.types/int",
                "truncated");
    }

    @Test
    void settingNullFailsNamingTheStateAndSuggestingRemove() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> storage.set(COUNT, null));

        assertTrue(e.getMessage().contains("'count'"), e.getMessage());
        assertTrue(e.getMessage().contains("remove()"), e.getMessage());
    }
}
