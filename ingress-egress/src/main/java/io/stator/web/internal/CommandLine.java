package io.stator.web.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of a CLI command: positionals, {@code --name value} options and {@code --flag} flags,
 * in any order. {@code --name=value} works too.
 */
public final class CommandLine {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    /** A usage error, with a one-line message naming the bad argument. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message names the bad argument */
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private CommandLine() {
    }

    /**
     * @return why a request to a runtime failed, for a one-line error: a refused connection (whose exception has no
     *         message) says so and suggests the likely cause; anything else is the exception itself
     */
    public static String whyUnreachable(java.io.IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is a Stator runtime running there?)";
        }
        return e.toString();
    }

    /**
     * @param args          the arguments after the command's name
     * @param valueOptions  options that take a value, e.g. {@code --url}
     * @param flagOptions   options without value, e.g. {@code --follow}
     * @return the parsed arguments
     * @throws UsageException for an unknown option, a missing value or a repeated option
     */
    public static CommandLine parse(String[] args, Set<String> valueOptions, Set<String> flagOptions)
            throws UsageException {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.equals("--")) {
                line.positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (flagOptions.contains(name) && eq < 0) {
                line.flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value = eq >= 0 ? arg.substring(eq + 1) : (i + 1 < args.length ? args[++i] : null);
                if (value == null) {
                    throw new UsageException("option " + name + " needs a value");
                }
                if (line.options.put(name, value) != null) {
                    throw new UsageException("option " + name + " given twice");
                }
            } else {
                throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return line;
    }

    /** @return the positional arguments in order */
    public List<String> positionals() {
        return positionals;
    }

    /** @return the option's value, or {@code otherwise} if absent */
    public String option(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    /** @return true if the flag was given */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * @return the option's value as a whole number of at least {@code min}, or {@code otherwise} if absent
     * @throws UsageException if the value is not such a number
     */
    public long longOption(String name, long otherwise, long min) throws UsageException {
        String text = options.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option " + name + " must be a whole number of at least " + min + ", was '" + text
                + "'");
    }

    /**
     * @return the base URL option ({@code --url}), checked to be http(s) and stripped of a trailing slash
     * @throws UsageException if it is not an http or https URL
     */
    public String baseUrl(String otherwise) throws UsageException {
        String url = option("--url", otherwise);
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new UsageException("--url must start with http:// or https://, was '" + url + "'");
        }
        try {
            java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url '" + url + "' is not a URL");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
