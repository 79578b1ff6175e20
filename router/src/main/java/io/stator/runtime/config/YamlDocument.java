package io.stator.runtime.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One document of a module file as plain Java values (maps, lists, strings, numbers, booleans), keeping each
 * node's line so errors can point at it. Built from SnakeYAML's node tree with the safe, standard tags only.
 */
final class YamlDocument {
    private final String file;
    private final Node root;

    YamlDocument(String file, Node root) {
        this.file = file;
        this.root = root;
    }

    /** @return the 1-based line where the document starts */
    int line() {
        return line(root);
    }

    Node root() {
        return root;
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** @return the child node under {@code key} of a mapping node, or null */
    static Node child(Node mapping, String key) {
        if (!(mapping instanceof MappingNode m)) {
            return null;
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** @return the node's value as plain Java objects */
    static Object toJava(Node node) {
        if (node instanceof ScalarNode s) {
            return scalar(s);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                out.add(toJava(n));
            }
            return out;
        }
        MappingNode m = (MappingNode) node;
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            out.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
        }
        return out;
    }

    private static Object scalar(ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue();
        try {
            if (Tag.INT.equals(tag)) {
                long l = Long.parseLong(v.replace("_", ""));
                return l == (int) l ? Integer.valueOf((int) l) : Long.valueOf(l);
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.parseDouble(v.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return v; // hex, octal or sexagesimal forms: leave as text for the field's own parser
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.parseBoolean(v) || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
        }
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        return v;
    }

    String file() {
        return file;
    }
}
