package io.stator.chaos;

import io.stator.sdk.SimpleType;
import io.stator.sdk.Type;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the chaos driver sends the chaos functions through the ingress, and what they send each other. A small
 * text form keeps a failing run readable in a dead letter or a log:
 *
 * <pre>
 *   KIND|command|step|value|route
 *   route = hop,hop,...   hop = code@delayMillis   (code: an address code, see {@link ChaosAddresses})
 *   e.g.  H|42|0|17|r3@0,e9@250      command 42 applies 17 here (step 0), then at r3, then 250 ms later at e9
 * </pre>
 *
 * @param kind    what the receiving function does
 * @param command the driver's command id
 * @param step    which effect of the command this is (0 at the ingress target, +1 per hop)
 * @param value   the amount the effect adds to the address's sum
 * @param route   the hops still ahead, in order ({@link Kind#HOP}), or the targets of a {@link Kind#FANOUT}
 */
record ChaosMessage(Kind kind, long command, int step, long value, List<Hop> route) {
    /** The message type's name. */
    static final TypeName TYPE_NAME = TypeName.typeNameOf("chaos.types", "message");
    /** The SDK type that (de)serializes a chaos message. */
    static final Type<ChaosMessage> TYPE = SimpleType.simpleImmutableTypeFrom(TYPE_NAME,
            m -> m.encode().getBytes(StandardCharsets.UTF_8),
            b -> decode(new String(b, StandardCharsets.UTF_8)));

    /** What a chaos function does with a message. */
    enum Kind {
        /** Apply the value (effect {@code step}), then send the rest of the route on. */
        HOP('H'),
        /** Apply the value, then send every hop of the route, at once, a {@link #HOP} with no route (a burst). */
        FANOUT('F'),
        /** Apply the value (step 0), schedule a {@link #VICTIM} to self under a token, send self an {@link #UNDO}. */
        CANCEL('C'),
        /** Cancel the victim, then apply the value (step 1). */
        UNDO('U'),
        /** The delayed message that is always cancelled: if it ever runs, its effect shows up as unexpected. */
        VICTIM('V'),
        /** Emit this address's state to the reports egress; changes nothing. */
        REPORT('R');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown chaos message kind '" + code + "'");
        }
    }

    /**
     * One hop of a route.
     *
     * @param code         the address code of the hop's target
     * @param delayMillis  0 for a plain message, else the delay of a delayed message
     */
    record Hop(String code, int delayMillis) {
        Hop {
            Objects.requireNonNull(code, "code");
            if (delayMillis < 0) {
                throw new IllegalArgumentException("hop delay must not be negative, was " + delayMillis);
            }
        }
    }

    ChaosMessage {
        Objects.requireNonNull(kind, "kind");
        route = List.copyOf(route);
    }

    /** @return a message of {@code kind} without a route */
    static ChaosMessage of(Kind kind, long command, int step, long value) {
        return new ChaosMessage(kind, command, step, value, List.of());
    }

    /** @return the message the next hop receives: one step further, the first hop taken off the route */
    ChaosMessage next() {
        if (route.isEmpty()) {
            throw new IllegalStateException("command " + command + " has no hop left after step " + step);
        }
        return new ChaosMessage(Kind.HOP, command, step + 1, value, route.subList(1, route.size()));
    }

    /** @return the message every fan-out target receives: one step further, no route */
    ChaosMessage branch() {
        return new ChaosMessage(Kind.HOP, command, step + 1, value, List.of());
    }

    /** @return the text form */
    String encode() {
        StringBuilder b = new StringBuilder(32);
        b.append(kind.code).append('|').append(command).append('|').append(step).append('|').append(value).append('|');
        for (int i = 0; i < route.size(); i++) {
            Hop h = route.get(i);
            b.append(i == 0 ? "" : ",").append(h.code()).append('@').append(h.delayMillis());
        }
        return b.toString();
    }

    /**
     * @return the message the text form {@code s} describes
     * @throws IllegalArgumentException naming {@code s} if it is not a chaos message
     */
    static ChaosMessage decode(String s) {
        String[] parts = s.split("\\|", -1);
        if (parts.length != 5 || parts[0].length() != 1) {
            throw new IllegalArgumentException("not a chaos message: '" + s + "'");
        }
        try {
            List<Hop> route = new ArrayList<>();
            if (!parts[4].isEmpty()) {
                for (String hop : parts[4].split(",")) {
                    int at = hop.indexOf('@');
                    route.add(new Hop(hop.substring(0, at), Integer.parseInt(hop.substring(at + 1))));
                }
            }
            return new ChaosMessage(Kind.of(parts[0].charAt(0)), Long.parseLong(parts[1]), Integer.parseInt(parts[2]),
                    Long.parseLong(parts[3]), route);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a chaos message: '" + s + "' (" + e.getMessage() + ")", e);
        }
    }
}
