package dev.dualwrite.ops.cli;

import java.io.StringReader;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Edits the {@code phase:} and {@code reads:} values of one migration in the rule file's text, at the
 * positions the YAML parser reports, so that every other byte (comments, blank lines, quoting, key
 * order, line endings) stays as the operator wrote it. A YAML library would re-serialize the whole
 * file and lose the comments.
 */
final class RuleFileEdit {
    private final String text;
    private final String id;
    private final MappingNode migration;
    private final NodeTuple phase;
    private final NodeTuple reads;

    private RuleFileEdit(String text, String id, MappingNode migration, NodeTuple phase, NodeTuple reads) {
        this.text = text;
        this.id = id;
        this.migration = migration;
        this.phase = phase;
        this.reads = reads;
    }

    /** Finds the migration; the text must already have passed the rule loader. */
    static RuleFileEdit of(String text, String id) {
        Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        Node list = value(root, "migrations");
        if (list instanceof SequenceNode) {
            for (Node item : ((SequenceNode) list).getValue()) {
                Node idNode = value(item, "id");
                if (idNode instanceof ScalarNode && ((ScalarNode) idNode).getValue().trim().equals(id)) {
                    MappingNode m = (MappingNode) item;
                    return new RuleFileEdit(text, id, m, tuple(m, "phase"), tuple(m, "reads"));
                }
            }
        }
        return null;
    }

    boolean hasReads() {
        return reads != null;
    }

    /** The text with the phase and reads values changed; {@code null} leaves a value as it is. */
    String apply(String newPhase, String newReads, boolean removeReads) {
        StringBuilder out = new StringBuilder(text);
        // Edit from the end of the file backwards, so that earlier offsets stay valid.
        // A new reads: line goes after the phase line, so it too comes first.
        boolean readsFirst = reads == null || start(reads.getKeyNode()) > start(phase.getKeyNode());
        if (readsFirst) {
            editReads(out, newReads, removeReads);
        }
        if (newPhase != null) {
            replaceValue(out, (ScalarNode) phase.getValueNode(), newPhase);
        }
        if (!readsFirst) {
            editReads(out, newReads, removeReads);
        }
        return out.toString();
    }

    private void editReads(StringBuilder out, String newReads, boolean remove) {
        if (remove && reads != null) {
            int[] line = ownLine(reads);
            out.delete(line[0], line[1]);
        } else if (newReads != null && reads != null) {
            replaceValue(out, (ScalarNode) reads.getValueNode(), newReads);
        } else if (newReads != null) {
            insertAfterPhase(out, "reads: " + newReads);
        }
    }

    /** Replaces a scalar value, keeping its quotes if it had any. */
    private void replaceValue(StringBuilder out, ScalarNode node, String value) {
        String quote = node.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED ? "\""
                : node.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED ? "'" : "";
        out.replace(start(node), end(node), quote + value + quote);
    }

    /** A new line after the phase line, indented like the phase key, with the file's line ending. */
    private void insertAfterPhase(StringBuilder out, String line) {
        requireBlockStyle("add a reads: line");
        int key = start(phase.getKeyNode());
        int lineStart = text.lastIndexOf('\n', key - 1) + 1;
        String indent = text.substring(lineStart, key).replaceAll("[^\t]", " ");
        int eol = text.indexOf('\n', end(phase.getValueNode()));
        String newline = eol > 0 && text.charAt(eol - 1) == '\r' ? "\r\n" : "\n";
        if (eol < 0) {
            out.insert(text.length(), newline + indent + line);
        } else {
            out.insert(eol + 1, indent + line + newline);
        }
    }

    /** The start and end (after its line break) of a key's line; the key must be alone on its line. */
    private int[] ownLine(NodeTuple tuple) {
        requireBlockStyle("remove the reads: line");
        int key = start(tuple.getKeyNode());
        int lineStart = text.lastIndexOf('\n', key - 1) + 1;
        int valueEnd = end(tuple.getValueNode());
        int eol = text.indexOf('\n', valueEnd);
        int lineEnd = eol < 0 ? text.length() : eol + 1;
        String before = text.substring(lineStart, key);
        String after = text.substring(valueEnd, eol < 0 ? text.length() : eol).trim();
        if (!before.isBlank() || !(after.isEmpty() || after.startsWith("#"))) {
            throw CliFailure.badInput("migration " + id + " has other keys on the line of reads:; put reads: on a"
                    + " line of its own, or edit the file by hand");
        }
        return new int[] {lineStart, lineEnd};
    }

    private void requireBlockStyle(String what) {
        if (migration.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            throw CliFailure.badInput("migration " + id + " is written in flow style ({ ... }), so flip cannot " + what
                    + "; write it in block style (one key per line), or edit the file by hand");
        }
    }

    private int start(Node node) {
        return offset(node.getStartMark());
    }

    private int end(Node node) {
        return offset(node.getEndMark());
    }

    /** The parser counts code points; Java strings count UTF-16 units (an emoji in a comment is two). */
    private int offset(Mark mark) {
        return text.offsetByCodePoints(0, mark.getIndex());
    }

    private static NodeTuple tuple(Node mapping, String key) {
        if (mapping instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) mapping).getValue()) {
                if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
                    return t;
                }
            }
        }
        return null;
    }

    private static Node value(Node mapping, String key) {
        NodeTuple t = tuple(mapping, key);
        return t == null ? null : t.getValueNode();
    }
}
