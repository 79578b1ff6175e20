package io.stator.remote.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way StateFun's module files write them (Flink's {@code TimeUtils.parseDuration}):
 * a whole number, optional blanks, and an optional unit, e.g. {@code 2min}, {@code 1 min}, {@code 10s},
 * {@code 500ms}. A number without a unit is milliseconds. Units, case-insensitive: {@code d day days},
 * {@code h hour hours}, {@code m min minute minutes}, {@code s sec secs second seconds},
 * {@code ms milli millis millisecond milliseconds}, {@code us µs micro micros microsecond microseconds},
 * {@code ns nano nanos nanosecond nanoseconds}.
 */
public final class StatefunDurations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(\\p{L}*)");
    private static final Map<String, ChronoUnit> UNITS = units();

    private StatefunDurations() {
    }

    /**
     * @param text a duration such as {@code 2min}
     * @return the duration
     * @throws IllegalArgumentException naming the text if it is not a duration
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected a whole number and a unit, e.g. 10s, 2min, 500ms");
        }
        String unitText = m.group(2).toLowerCase(Locale.ROOT);
        ChronoUnit unit = unitText.isEmpty() ? ChronoUnit.MILLIS : UNITS.get(unitText);
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown time unit '" + m.group(2)
                    + "'; use d, h, min, s, ms, us or ns");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
            return Duration.of(amount, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
        }
    }

    private static Map<String, ChronoUnit> units() {
        return Map.ofEntries(
                Map.entry("d", ChronoUnit.DAYS), Map.entry("day", ChronoUnit.DAYS), Map.entry("days", ChronoUnit.DAYS),
                Map.entry("h", ChronoUnit.HOURS), Map.entry("hour", ChronoUnit.HOURS), Map.entry("hours", ChronoUnit.HOURS),
                Map.entry("m", ChronoUnit.MINUTES), Map.entry("min", ChronoUnit.MINUTES),
                Map.entry("minute", ChronoUnit.MINUTES), Map.entry("minutes", ChronoUnit.MINUTES),
                Map.entry("s", ChronoUnit.SECONDS), Map.entry("sec", ChronoUnit.SECONDS), Map.entry("secs", ChronoUnit.SECONDS),
                Map.entry("second", ChronoUnit.SECONDS), Map.entry("seconds", ChronoUnit.SECONDS),
                Map.entry("ms", ChronoUnit.MILLIS), Map.entry("milli", ChronoUnit.MILLIS), Map.entry("millis", ChronoUnit.MILLIS),
                Map.entry("millisecond", ChronoUnit.MILLIS), Map.entry("milliseconds", ChronoUnit.MILLIS),
                Map.entry("us", ChronoUnit.MICROS), Map.entry("µs", ChronoUnit.MICROS), Map.entry("micro", ChronoUnit.MICROS),
                Map.entry("micros", ChronoUnit.MICROS), Map.entry("microsecond", ChronoUnit.MICROS),
                Map.entry("microseconds", ChronoUnit.MICROS),
                Map.entry("ns", ChronoUnit.NANOS), Map.entry("nano", ChronoUnit.NANOS), Map.entry("nanos", ChronoUnit.NANOS),
                Map.entry("nanosecond", ChronoUnit.NANOS), Map.entry("nanoseconds", ChronoUnit.NANOS));
    }
}
