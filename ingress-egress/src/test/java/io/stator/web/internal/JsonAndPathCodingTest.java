package io.stator.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAndPathCodingTest {
    @Test
    void stringsAreEscapedAsJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u2028ü\"", Json.quote("a\"b\\c\n\r\t\u0001\u2028ü"));
        assertEquals("\"</script>\"", Json.quote("</script>"));
        assertEquals("\"\\u003c/script>\"", Json.appendScriptSafeString(new StringBuilder(), "</script>").toString());
    }

    @Test
    void flatObjectsParseBackWhatTheEscaperWrote() {
        String text = "{\"offset\":12,\"epoch\":3,\"type\":\"a/b\",\"value\":" + Json.quote("x\"y\n\u00e9") + "}";
        Map<String, String> parsed = FlatJsonObject.parse(text);
        assertEquals(Map.of("offset", "12", "epoch", "3", "type", "a/b", "value", "x\"y\n\u00e9"), parsed);
        assertEquals(Map.of("a", "true", "b", "null"), FlatJsonObject.parse(" { \"a\" : true , \"b\":null } "));
        assertEquals(Map.of("u", "\u00e9"), FlatJsonObject.parse("{\"u\":\"\\u00e9\"}"));
        assertEquals(Map.of(), FlatJsonObject.parse("{}"));
    }

    @Test
    void malformedJsonIsRefusedNamingThePosition() {
        for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":[1]}", "{\"a\":1}x", "{\"a\":\"x}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlatJsonObject.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("at character"), e.getMessage());
        }
    }

    @Test
    void pathSegmentsRoundTripAndKeepPlusSigns() {
        String text = "a b/c+d%é😀";
        String encoded = PercentCoding.encodeSegment(text);
        assertEquals("a%20b%2Fc%2Bd%25%C3%A9%F0%9F%98%80", encoded);
        assertEquals(text, PercentCoding.decodeSegment(encoded));
        assertEquals("a+b", PercentCoding.decodeSegment("a+b"));
    }

    @Test
    void badPercentEncodingIsA400() {
        for (String bad : new String[] {"a%", "a%z1", "%C3"}) {
            HttpProblem problem = assertThrows(HttpProblem.class, () -> PercentCoding.decodeSegment(bad));
            assertEquals(400, problem.status());
        }
    }

    @Test
    void typeNamesFromPathsRefuseDotSegmentsAndWhitespace() {
        assertEquals("com/example/greeter",
                PathNames.typeName(new String[] {"com", "example", "greeter"}, 0, 2, "function type").asString());
        for (String[] bad : new String[][] {{"..", "x"}, {"a", "."}, {"a b", "x"}, {"", "x"}, {"a", "x%2Fy"}}) {
            HttpProblem problem = assertThrows(HttpProblem.class, () -> PathNames.typeName(bad, 0, 1, "egress"));
            assertEquals(400, problem.status());
        }
    }

    @Test
    void commandLinesTakeOptionsAnywhere() throws Exception {
        CommandLine line = CommandLine.parse(new String[] {"--url", "http://h:1/", "a", "--follow", "--from=5", "b"},
                java.util.Set.of("--url", "--from"), java.util.Set.of("--follow"));
        assertEquals(java.util.List.of("a", "b"), line.positionals());
        assertEquals("http://h:1", line.baseUrl("http://x"));
        assertEquals(5, line.longOption("--from", 0, 0));
        assertTrue(line.flag("--follow"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--from", "1", "--from",
            "2"}, java.util.Set.of("--from"), java.util.Set.of()));
    }
}
