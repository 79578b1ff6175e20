package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Prometheus text scrape, strict enough to catch format mistakes: every sample must belong to a family
 * declared before it with HELP and TYPE, and must parse as {@code name{labels} value}.
 */
final class Scrape {
    /** One sample: its name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();

    static Scrape parse(String text) {
        Scrape scrape = new Scrape();
        Set<String> helped = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped.add(line.substring(7).split(" ", 2)[0]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                assertTrue(helped.contains(parts[0]), "TYPE before HELP for " + parts[0]);
                assertTrue(scrape.types.put(parts[0], parts[1]) == null, "family declared twice: " + parts[0]);
            } else if (!line.isEmpty()) {
                scrape.samples.add(sample(line, scrape.types));
            }
        }
        return scrape;
    }

    private static Sample sample(String line, Map<String, String> types) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            fail("not a Prometheus sample line: " + line);
        }
        String name = m.group(1);
        String family = name.replaceAll("_(bucket|sum|count)$", "");
        if (!types.containsKey(name) && !"histogram".equals(types.get(family))) {
            fail("sample of an undeclared family: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            int end = 0;
            while (l.find()) {
                assertEquals(end, l.start(), "malformed labels in " + line);
                labels.put(l.group(1), l.group(2));
                end = l.end();
            }
            assertEquals(m.group(3).length(), end, "malformed labels in " + line);
        }
        String v = m.group(4);
        double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
        return new Sample(name, labels, value);
    }

    /** @return the sum of the samples named {@code name} whose labels include all of {@code labelPairs} */
    double sum(String name, String... labelPairs) {
        double total = 0;
        for (Sample s : select(name, labelPairs)) {
            total += s.value();
        }
        return total;
    }

    /** @return the samples named {@code name} whose labels include all of {@code labelPairs} */
    List<Sample> select(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                match &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
            }
            if (match) {
                out.add(s);
            }
        }
        return out;
    }

    /** @return the one sample's value; fails if there is not exactly one */
    double value(String name, String... labelPairs) {
        List<Sample> found = select(name, labelPairs);
        assertEquals(1, found.size(), "samples of " + name + " " + List.of(labelPairs) + ": " + found);
        return found.get(0).value();
    }
}
