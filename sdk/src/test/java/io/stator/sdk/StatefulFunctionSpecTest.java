package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StatefulFunctionSpec}: declared state and the instance supplier. */
final class StatefulFunctionSpecTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("example", "counter");
    private static final StatefulFunction NOOP = (context, message) -> StatefulFunction.DONE;

    @Test
    void declaringTheSameStateNameTwiceIsRejectedNamingFunctionAndState() {
        StatefulFunctionSpec.Builder builder =
                StatefulFunctionSpec.builder(COUNTER).withValueSpec(ValueSpec.named("count").withIntType());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.withValueSpec(ValueSpec.named("count").withLongType()));

        assertTrue(e.getMessage().contains("example/counter"), e.getMessage());
        assertTrue(e.getMessage().contains("'count'"), e.getMessage());
    }

    @Test
    void duplicatesAreRejectedWithinOneVarargsCallToo() {
        ValueSpec<Integer> count = ValueSpec.named("count").withIntType();

        assertThrows(IllegalArgumentException.class,
                () -> StatefulFunctionSpec.builder(COUNTER).withValueSpecs(count, count));
    }

    @Test
    void buildWithoutASupplierIsRejectedNamingTheFunction() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> StatefulFunctionSpec.builder(COUNTER).build());

        assertTrue(e.getMessage().contains("example/counter"), e.getMessage());
        assertTrue(e.getMessage().contains("withSupplier"), e.getMessage());
    }

    @Test
    void nullTypeSpecOrSupplierIsRejected() {
        assertThrows(NullPointerException.class, () -> StatefulFunctionSpec.builder(null));
        assertThrows(NullPointerException.class, () -> StatefulFunctionSpec.builder(COUNTER).withValueSpec(null));
        assertThrows(NullPointerException.class, () -> StatefulFunctionSpec.builder(COUNTER).withSupplier(null));
    }

    @Test
    void declaredStateKeepsDeclarationOrderAndCannotBeModified() {
        ValueSpec<String> name = ValueSpec.named("name").withUtf8StringType();
        ValueSpec<Integer> count = ValueSpec.named("count").withIntType();
        ValueSpec<Boolean> active = ValueSpec.named("active").withBooleanType();

        StatefulFunctionSpec spec = StatefulFunctionSpec.builder(COUNTER)
                .withValueSpec(name)
                .withValueSpecs(count, active)
                .withSupplier(() -> NOOP)
                .build();

        assertEquals(COUNTER, spec.typeName());
        assertEquals(List.of("name", "count", "active"), List.copyOf(spec.valueSpecs().keySet()));
        assertSame(count, spec.valueSpecs().get("count"));
        assertSame(NOOP, spec.supplier().get());
        assertThrows(UnsupportedOperationException.class, () -> spec.valueSpecs().remove("name"));
    }

    @Test
    void laterBuilderChangesDoNotLeakIntoABuiltSpec() {
        StatefulFunctionSpec.Builder builder = StatefulFunctionSpec.builder(COUNTER).withSupplier(() -> NOOP);
        StatefulFunctionSpec first = builder.build();

        builder.withValueSpec(ValueSpec.named("late").withIntType());

        assertTrue(first.valueSpecs().isEmpty());
    }
}
