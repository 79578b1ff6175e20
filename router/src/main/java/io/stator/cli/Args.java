package io.stator.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: positional arguments and {@code --flag value} / {@code --flag=value} options, checked
 * against the flags the command accepts. Unknown flags, missing values and bad numbers are
 * {@link UsageException}s.
 */
final class Args {
    private final String command;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /**
     * @param command     the subcommand, for messages
     * @param args        the arguments after the subcommand
     * @param valueFlags  flags that take a value
     * @param switchFlags flags without a value
     */
    Args(String command, String[] args, Set<String> valueFlags, Set<String> switchFlags) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.equals("--")) {
                positional.add(a);
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (switchFlags.contains(name)) {
                if (value != null) {
                    throw new UsageException(command + ": " + name + " takes no value");
                }
                options.put(name, "true");
            } else if (valueFlags.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(command + ": " + name + " needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new UsageException(command + ": unknown flag " + name + " (see ./stator " + command + " --help)");
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    String get(String flag, String fallback) {
        return options.getOrDefault(flag, fallback);
    }

    String required(String flag) {
        String v = options.get(flag);
        if (v == null) {
            throw new UsageException(command + ": " + flag + " is required");
        }
        return v;
    }

    boolean has(String flag) {
        return options.containsKey(flag);
    }

    int intValue(String flag, int fallback, int min, int max) {
        String v = options.get(flag);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException(command + ": " + flag + " must be between " + min + " and " + max + ", was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + flag + " must be a number, was '" + v + "'");
        }
    }
}
