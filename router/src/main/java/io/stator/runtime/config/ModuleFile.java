package io.stator.runtime.config;

import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A parsed {@code module.yaml}: one or more YAML documents ({@code ---} between them), each with a {@code kind}
 * and a {@code spec}. Kinds:
 * <ul>
 *   <li>{@value #EMBEDDED_KIND}: {@code spec.modules} lists {@link FunctionModule} classes to run embedded;</li>
 *   <li>{@value #HTTP_ENDPOINT_KIND}: a StateFun HTTP endpoint for remote functions, as StateFun writes it.</li>
 * </ul>
 * Every problem is a {@link ModuleConfigException} whose one-line message names the file and line.
 */
public final class ModuleFile {
    /** Stator's kind for embedded functions. */
    public static final String EMBEDDED_KIND = "io.stator.v1/embedded";
    /** StateFun's kind for remote HTTP endpoints. */
    public static final String HTTP_ENDPOINT_KIND = "io.statefun.endpoints.v2/http";

    /**
     * A remote endpoint document.
     *
     * @param where {@code file:line} of the document
     * @param spec  its {@code spec} mapping as plain Java values
     */
    public record EndpointDocument(String where, Map<String, Object> spec, Node specNode) {
        /** @return {@code file:line} of the field at {@code path} (dot-separated, below spec), or of the document */
        public String whereIs(String path, String file) {
            Node node = specNode;
            for (String part : path.split("\\.")) {
                Node next = YamlDocument.child(node, part);
                if (next == null) {
                    break;
                }
                node = next;
            }
            return file + ":" + YamlDocument.line(node);
        }
    }

    private final String file;
    private final Map<TypeName, StatefulFunctionSpec> embedded;
    private final List<EndpointDocument> endpoints;

    private ModuleFile(String file, Map<TypeName, StatefulFunctionSpec> embedded, List<EndpointDocument> endpoints) {
        this.file = file;
        this.embedded = embedded;
        this.endpoints = endpoints;
    }

    /**
     * Reads and checks a module file; embedded module classes are loaded from the context class loader.
     *
     * @throws ModuleConfigException if the file is missing, is not valid YAML, or has a bad document
     */
    public static ModuleFile load(Path path) {
        String file = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModuleConfigException(file + ": no such module file");
        } catch (IOException e) {
            throw new ModuleConfigException(file + ": cannot read the module file: " + e.getMessage());
        }
        return parse(file, new java.io.StringReader(text));
    }

    /** Parses module YAML from a reader; {@code file} is the name used in error messages. */
    public static ModuleFile parse(String file, Reader reader) {
        List<YamlDocument> docs = new ArrayList<>();
        try {
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            for (Node root : yaml.composeAll(reader)) {
                if (root != null) {
                    docs.add(new YamlDocument(file, root));
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ModuleConfigException(file + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ModuleConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (docs.isEmpty()) {
            throw new ModuleConfigException(file + ": the module file has no documents; expected at least one with"
                    + " 'kind: " + EMBEDDED_KIND + "' or 'kind: " + HTTP_ENDPOINT_KIND + "'");
        }
        Map<TypeName, StatefulFunctionSpec> embedded = new LinkedHashMap<>();
        List<EndpointDocument> endpoints = new ArrayList<>();
        for (YamlDocument doc : docs) {
            String where = file + ":" + doc.line();
            if (!(doc.root() instanceof MappingNode)) {
                throw new ModuleConfigException(where + ": a module document must be a mapping with 'kind' and 'spec'");
            }
            Node kindNode = YamlDocument.child(doc.root(), "kind");
            if (!(kindNode instanceof ScalarNode kind)) {
                throw new ModuleConfigException(where + ": the document has no 'kind'");
            }
            checkKeys(file, (MappingNode) doc.root(), List.of("kind", "spec"), "document");
            Node spec = YamlDocument.child(doc.root(), "spec");
            if (!(spec instanceof MappingNode)) {
                throw new ModuleConfigException(where + ": document of kind '" + kind.getValue() + "' has no 'spec' mapping");
            }
            switch (kind.getValue()) {
                case EMBEDDED_KIND -> loadEmbedded(file, spec, embedded);
                case HTTP_ENDPOINT_KIND -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> specMap = (Map<String, Object>) YamlDocument.toJava(spec);
                    endpoints.add(new EndpointDocument(where, specMap, spec));
                }
                default -> throw new ModuleConfigException(file + ":" + YamlDocument.line(kindNode) + ": unknown kind '"
                        + kind.getValue() + "'; known kinds: " + EMBEDDED_KIND + ", " + HTTP_ENDPOINT_KIND);
            }
        }
        return new ModuleFile(file, embedded, endpoints);
    }

    /** @return the file name used in messages */
    public String file() {
        return file;
    }

    /** @return the embedded function types, by name */
    public Map<TypeName, StatefulFunctionSpec> embeddedFunctions() {
        return embedded;
    }

    /** @return the remote endpoint documents, in file order */
    public List<EndpointDocument> endpoints() {
        return endpoints;
    }

    private static void loadEmbedded(String file, Node spec, Map<TypeName, StatefulFunctionSpec> out) {
        checkKeys(file, (MappingNode) spec, List.of("modules"), "spec of " + EMBEDDED_KIND);
        Node modules = YamlDocument.child(spec, "modules");
        if (!(modules instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw new ModuleConfigException(file + ":" + YamlDocument.line(modules == null ? spec : modules)
                    + ": 'spec.modules' must be a non-empty list of FunctionModule class names");
        }
        for (Node item : list.getValue()) {
            String where = file + ":" + YamlDocument.line(item);
            if (!(item instanceof ScalarNode name)) {
                throw new ModuleConfigException(where + ": a module must be a class name");
            }
            for (StatefulFunctionSpec fn : instantiate(where, name.getValue()).functions()) {
                if (out.putIfAbsent(fn.typeName(), fn) != null) {
                    throw new ModuleConfigException(where + ": function type " + fn.typeName() + " is defined twice");
                }
            }
        }
    }

    private static FunctionModule instantiate(String where, String className) {
        Class<?> cls;
        try {
            cls = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ModuleConfigException(where + ": module class " + className + " is not on the classpath");
        }
        if (!FunctionModule.class.isAssignableFrom(cls)) {
            throw new ModuleConfigException(where + ": " + className + " does not implement " + FunctionModule.class.getName());
        }
        try {
            return (FunctionModule) cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ModuleConfigException(where + ": cannot create " + className
                    + " (it needs a public no-argument constructor): " + e, e);
        }
    }

    private static void checkKeys(String file, MappingNode node, List<String> allowed, String what) {
        for (NodeTuple t : node.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (!allowed.contains(key)) {
                throw new ModuleConfigException(file + ":" + YamlDocument.line(t.getKeyNode()) + ": unknown field '" + key
                        + "' in " + what + "; allowed: " + allowed);
            }
        }
    }
}
