package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The two small writers: Prometheus text escaping and declarations, and JSON commas, nesting and escaping. */
class TextFormatsTest {
    @Test
    void prometheusLabelValuesAreEscapedAndWholeNumbersPrintWithoutAFraction() {
        PrometheusText text = new PrometheusText();
        text.gauge("stator_x", "Help with a \\ backslash\nand a newline.")
                .sample("stator_x", 2.0, "function", "ns/\"quoted\"\\n", "kind", "a\nb")
                .sample("stator_x", 0.25)
                .sample("stator_x", Double.POSITIVE_INFINITY);

        assertEquals("# HELP stator_x Help with a \\\\ backslash\\nand a newline.\n"
                + "# TYPE stator_x gauge\n"
                + "stator_x{function=\"ns/\\\"quoted\\\"\\\\n\",kind=\"a\\nb\"} 2\n"
                + "stator_x 0.25\n"
                + "stator_x +Inf\n", text.toString());
    }

    @Test
    void aPrometheusFamilyCannotBeDeclaredTwice() {
        PrometheusText text = new PrometheusText().counter("stator_y_total", "Once.");
        assertThrows(IllegalStateException.class, () -> text.counter("stator_y_total", "Twice."));
        assertThrows(IllegalArgumentException.class, () -> text.sample("stator_y_total", 1, "odd"));
    }

    @Test
    void jsonWriterPlacesCommasAndEscapes() {
        JsonWriter w = new JsonWriter().beginObject()
                .field("n", 1)
                .field("s", "a\"b\\c\n<script>\u0001")
                .name("list").beginArray().value(1).beginObject().field("ok", true).endObject().value((String) null)
                .endArray()
                .name("nan").value(Double.NaN)
                .name("empty").beginArray().endArray()
                .endObject();

        assertEquals("{\"n\":1,\"s\":\"a\\\"b\\\\c\\n\\u003cscript>\\u0001\",\"list\":[1,{\"ok\":true},null],"
                + "\"nan\":null,\"empty\":[]}", w.toString());
    }
}
