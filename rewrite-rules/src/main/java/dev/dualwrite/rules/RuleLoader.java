package dev.dualwrite.rules;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates a version 1 rule file (contract section 4). Every problem is reported with file,
 * line and the path inside the document; a file with any problem yields no rules at all.
 */
public final class RuleLoader {
    /** Rule files larger than this are refused rather than read into memory. */
    public static final int MAX_BYTES = 1 << 20;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?:[\\p{L}_][\\p{L}\\p{N}_$]*|\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`)");

    private final String file;
    private final List<RuleFileException.Problem> problems = new ArrayList<>();

    private RuleLoader(String file) {
        this.file = file;
    }

    /** Loads a rule file from disk: size-checked, strict UTF-8. */
    public static RuleSet load(Path path) throws RuleFileException {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw single(name, "is a directory, not a rule file");
            }
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                // a named pipe or a device: reading it could block the reloading thread forever
                throw single(name, "is not a regular file");
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw single(name, "is " + size + " bytes; rule files are limited to " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw single(name, "does not exist; check dualwrite.rules");
        } catch (IOException e) {
            throw single(name, "cannot be read: " + e);
        }
        if (bytes.length > MAX_BYTES) {
            throw single(name, "is larger than " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(name, "is not valid UTF-8");
        }
        return parse(text, name);
    }

    /** Parses rule file text; {@code file} names it in messages. */
    public static RuleSet parse(String text, String file) throws RuleFileException {
        RuleLoader loader = new RuleLoader(file);
        RuleSet rules = loader.read(text);
        if (!loader.problems.isEmpty()) {
            throw new RuleFileException(loader.problems);
        }
        return rules;
    }

    private static RuleFileException single(String file, String message) {
        return new RuleFileException(List.of(new RuleFileException.Problem(file, 0, 0, "", message)));
    }

    private RuleSet read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(new RuleFileException.Problem(file, m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1, "", "not valid YAML: " + e.getProblem()));
            return null;
        } catch (YAMLException e) {
            problems.add(new RuleFileException.Problem(file, 0, 0, "", "not valid YAML: " + e.getMessage()));
            return null;
        }
        if (root == null) {
            problem((Node) null, "", "the file is empty; it needs at least 'version: 1'");
            return null;
        }
        Map<String, Node> top = mapping(root, "", Set.of("version", "on_unparseable", "migrations"));
        if (top == null) {
            return null;
        }
        Node version = top.get("version");
        if (version == null) {
            problem(root, "version", "missing; the first line should be 'version: 1'");
        } else if (!"1".equals(scalar(version, "version"))) {
            problem(version, "version", "only version 1 is supported");
        }
        OnUnparseable onUnparseable = OnUnparseable.REJECT;
        Node onU = top.get("on_unparseable");
        if (onU != null) {
            String v = scalar(onU, "on_unparseable");
            if ("pass".equals(v)) {
                onUnparseable = OnUnparseable.PASS;
            } else if (v != null && !"reject".equals(v)) {
                problem(onU, "on_unparseable", "'" + v + "' is not allowed; use reject or pass");
            }
        }
        List<Migration> migrations = new ArrayList<>();
        Node list = top.get("migrations");
        if (list != null && !isNull(list)) {
            if (!(list instanceof SequenceNode)) {
                problem(list, "migrations", "must be a list of migrations (each item starting with '- id:')");
            } else {
                List<Node> items = ((SequenceNode) list).getValue();
                for (int i = 0; i < items.size(); i++) {
                    Migration m = migration(items.get(i), "migrations[" + i + "]");
                    if (m != null) {
                        migrations.add(m);
                    }
                }
            }
        }
        crossCheck(migrations);
        return new RuleSet(file, 1, onUnparseable, migrations);
    }

    private Migration migration(Node node, String path) {
        Map<String, Node> m = mapping(node, path, Set.of("id", "table", "to_table", "key", "phase", "reads", "columns"));
        if (m == null) {
            return null;
        }
        String id = required(m, node, path, "id");
        if (id != null && !ID.matcher(id).matches()) {
            problem(m.get("id"), path + ".id", "'" + id + "' may use only letters, digits, '-' and '_'");
            id = null;
        }
        String where = id == null ? path : path + " (" + id + ")";
        QualifiedName table = tableName(m, node, where, "table", true);
        QualifiedName toTable = tableName(m, node, where, "to_table", false);
        Phase phase = null;
        String phaseText = required(m, node, where, "phase");
        if (phaseText != null) {
            try {
                phase = Phase.valueOf(phaseText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(m.get("phase"), where + ".phase",
                        "'" + phaseText + "' is not a phase; use expand, migrate, contract or off");
            }
        }
        ReadFlag reads = readFlag(m.get("reads"), where, phase);
        List<String> key = new ArrayList<>();
        Node keyNode = m.get("key");
        if (keyNode != null) {
            if (toTable == null) {
                problem(keyNode, where + ".key", "only a table move (to_table) takes a key");
            }
            if (keyNode instanceof SequenceNode) {
                for (Node k : ((SequenceNode) keyNode).getValue()) {
                    String col = identifier(k, where + ".key");
                    if (col != null) {
                        key.add(col);
                    }
                }
            } else {
                String col = identifier(keyNode, where + ".key");
                if (col != null) {
                    key.add(col);
                }
            }
        }
        List<ColumnRule> columns = new ArrayList<>();
        Node cols = m.get("columns");
        if (cols == null || isNull(cols)) {
            if (toTable == null) {
                problem(node, where + ".columns", "missing; a column migration names at least one column");
            }
        } else if (!(cols instanceof MappingNode)) {
            problem(cols, where + ".columns", "must map each old column name to its rule (to: new_name)");
        } else {
            for (NodeTuple t : ((MappingNode) cols).getValue()) {
                String colPath = where + ".columns";
                String name = identifier(t.getKeyNode(), colPath);
                if (name != null) {
                    ColumnRule rule = columnRule(name, t.getValueNode(), colPath + "." + name, toTable != null);
                    if (rule != null) {
                        columns.add(rule);
                    }
                }
            }
            if (columns.isEmpty() && toTable == null && ((MappingNode) cols).getValue().isEmpty()) {
                problem(cols, where + ".columns", "is empty; a column migration names at least one column");
            }
        }
        if (id == null || table == null || phase == null || reads == null) {
            return null;
        }
        return new Migration(id, table, toTable, key, phase, reads, columns, line(node));
    }

    private ReadFlag readFlag(Node node, String where, Phase phase) {
        if (node == null) {
            return phase == Phase.CONTRACT ? ReadFlag.NEW : ReadFlag.OLD;
        }
        String text = scalar(node, where + ".reads");
        if (text == null) {
            return null;
        }
        ReadFlag flag;
        try {
            flag = ReadFlag.parse(text);
        } catch (IllegalArgumentException e) {
            problem(node, where + ".reads", e.getMessage());
            return null;
        }
        if (phase == Phase.EXPAND && flag.kind() != ReadFlag.Kind.OLD) {
            problem(node, where + ".reads", "'" + text + "' contradicts phase expand, which reads old;"
                    + " move to phase migrate first");
            return null;
        }
        if (phase == Phase.CONTRACT && flag.kind() != ReadFlag.Kind.NEW) {
            problem(node, where + ".reads", "'" + text + "' contradicts phase contract, which reads new");
            return null;
        }
        return flag;
    }

    private ColumnRule columnRule(String column, Node node, String path, boolean tableMove) {
        Map<String, Node> m = mapping(node, path, Set.of("to", "to_new", "to_old", "values", "drop"));
        if (m == null) {
            return null;
        }
        boolean drop = false;
        if (m.containsKey("drop")) {
            String d = scalar(m.get("drop"), path + ".drop");
            if ("true".equals(d)) {
                drop = true;
            } else if (!"false".equals(d)) {
                problem(m.get("drop"), path + ".drop", "must be true or false");
            }
            if (drop && !tableMove) {
                problem(m.get("drop"), path + ".drop", "only a table move (to_table) can drop a column;"
                        + " a column migration ends by dropping the old column in the database");
            }
        }
        String to = null;
        if (m.containsKey("to")) {
            to = identifier(m.get("to"), path + ".to");
        } else if (!drop) {
            problem(node, path + ".to", "missing; say the column's new name (to: new_name), or drop: true");
        }
        if (drop && m.containsKey("to")) {
            problem(m.get("to"), path + ".to", "a dropped column has no new name");
        }
        String toNew = template(m.get("to_new"), path + ".to_new");
        String toOld = template(m.get("to_old"), path + ".to_old");
        Map<SqlLiteral, SqlLiteral> values = null;
        Node valuesNode = m.get("values");
        if (valuesNode != null) {
            if (toNew != null || toOld != null) {
                problem(valuesNode, path + ".values", "use either a value map or to_new/to_old templates, not both");
            }
            values = valueMap(valuesNode, path + ".values");
        }
        if (toNew != null && toOld == null) {
            problem(m.get("to_new"), path + ".to_old", "missing; with to_new, say how to compute the old value"
                    + " from the new one (to_old), so reads after the flip and writes after contract stay exact");
        }
        if (toOld != null && toNew == null) {
            problem(m.get("to_old"), path + ".to_new", "missing; with to_old, say how to compute the new value"
                    + " from the old one (to_new)");
        }
        return new ColumnRule(column, to, toNew, toOld, values, drop);
    }

    private String template(Node node, String path) {
        if (node == null) {
            return null;
        }
        String t = scalar(node, path);
        if (t == null) {
            return null;
        }
        String error = ExpressionTemplate.check(t);
        if (error != null) {
            problem(node, path, error);
            return null;
        }
        return t;
    }

    private Map<SqlLiteral, SqlLiteral> valueMap(Node node, String path) {
        if (!(node instanceof MappingNode)) {
            problem(node, path, "must be a map of old value to new value, e.g. { A: active, C: cancelled }");
            return null;
        }
        Map<SqlLiteral, SqlLiteral> map = new LinkedHashMap<>();
        Set<SqlLiteral> targets = new HashSet<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            SqlLiteral from = literal(t.getKeyNode(), path);
            SqlLiteral to = literal(t.getValueNode(), path + "." + from);
            if (from == null || to == null) {
                continue;
            }
            if (map.containsKey(from)) {
                problem(t.getKeyNode(), path, "old value " + from + " is mapped twice");
            } else if (!targets.add(to)) {
                problem(t.getValueNode(), path + "." + from, "new value " + to + " is the target of two old"
                        + " values; the map must be reversible so reads after the flip are exact");
            } else {
                map.put(from, to);
            }
        }
        for (Map.Entry<SqlLiteral, SqlLiteral> e : map.entrySet()) {
            if (!e.getKey().equals(e.getValue()) && map.containsKey(e.getValue()) && !targets.contains(e.getKey())) {
                problem(node, path, "new value " + e.getValue() + " is also an old value that is carried"
                        + " unchanged, so reading it back is ambiguous");
            }
        }
        return map;
    }

    private SqlLiteral literal(Node node, String path) {
        if (!(node instanceof ScalarNode) || isNull(node)) {
            problem(node, path, "values must be plain strings or numbers");
            return null;
        }
        ScalarNode s = (ScalarNode) node;
        if (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag())) {
            try {
                return SqlLiteral.ofNumber(s.getValue());
            } catch (IllegalArgumentException e) {
                return SqlLiteral.ofString(s.getValue());
            }
        }
        return SqlLiteral.ofString(s.getValue());
    }

    private void crossCheck(List<Migration> migrations) {
        Set<String> ids = new HashSet<>();
        Map<String, Migration> oldColumns = new HashMap<>();
        Map<String, Migration> newColumns = new HashMap<>();
        Map<String, Migration> moves = new HashMap<>();
        for (Migration m : migrations) {
            if (!ids.add(m.id())) {
                problem(m, "id", "'" + m.id() + "' is used by two migrations; ids must be unique");
            }
            String table = fold(m.table().toString());
            if (m.isTableMove()) {
                String target = fold(m.toTable().toString());
                if (target.equals(table)) {
                    problem(m, "to_table", "moves the table onto itself");
                }
                for (Migration other : migrations) {
                    if (other != m && other.isTableMove() && fold(other.toTable().toString()).equals(target)
                            && ids.contains(other.id()) && other != m) {
                        problem(m, "to_table", "'" + m.toTable() + "' is also the target of migration '"
                                + other.id() + "'");
                    }
                }
                Migration previous = moves.put(table, m);
                if (previous != null) {
                    problem(m, "table", "table '" + m.table() + "' is already moved by '" + previous.id() + "'");
                }
            }
            for (ColumnRule c : m.columns()) {
                String oldKey = table + "." + fold(c.column());
                Migration before = oldColumns.put(oldKey, m);
                if (before != null) {
                    problem(m, "columns." + c.column(), "column '" + c.column() + "' of '" + m.table()
                            + "' is already migrated by '" + before.id() + "'");
                }
                if (c.to() != null && !m.isTableMove()) {
                    String newKey = table + "." + fold(c.to());
                    Migration other = newColumns.put(newKey, m);
                    if (other != null) {
                        problem(m, "columns." + c.column() + ".to", "'" + c.to() + "' is already the new column"
                                + " of another rule ('" + other.id() + "')");
                    }
                    if (fold(c.to()).equals(fold(c.column()))) {
                        problem(m, "columns." + c.column() + ".to", "the new name equals the old one");
                    }
                }
            }
        }
        // A column that is both some rule's old column and another rule's new column makes a chain or cycle.
        for (Migration m : migrations) {
            if (m.isTableMove()) {
                continue;
            }
            String table = fold(m.table().toString());
            for (ColumnRule c : m.columns()) {
                if (c.to() != null && oldColumns.containsKey(table + "." + fold(c.to()))) {
                    problem(m, "columns." + c.column() + ".to", "'" + c.to() + "' is itself migrated by '"
                            + oldColumns.get(table + "." + fold(c.to())).id() + "'; chains and cycles of"
                            + " renames are not allowed");
                }
            }
        }
        for (Migration m : migrations) {
            if (!m.isTableMove()) {
                continue;
            }
            Migration reverse = moves.get(fold(m.toTable().toString()));
            if (reverse != null) {
                problem(m, "to_table", "'" + m.toTable() + "' is itself moved by '" + reverse.id()
                        + "'; chains and cycles of table moves are not allowed");
            }
            for (Migration other : migrations) {
                if (!other.isTableMove() && fold(other.table().toString()).equals(fold(m.table().toString()))) {
                    problem(other, "table", "'" + other.table() + "' is moved by '" + m.id()
                            + "'; put its column changes in that migration's columns");
                }
            }
        }
    }

    private static String fold(String ident) {
        return TableNameScan.stripQuotes(ident).toLowerCase(Locale.ROOT);
    }

    // --- node helpers --------------------------------------------------------------------------

    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode)) {
            problem(node, path, "must be a mapping (key: value lines)");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                problem(t.getKeyNode(), path, "keys must be plain words");
                continue;
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            String where = path.isEmpty() ? key : path + "." + key;
            if (!allowed.contains(key)) {
                problem(t.getKeyNode(), where, "unknown key '" + key + "'; allowed here: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            } else if (out.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), where, "'" + key + "' appears twice");
            }
        }
        return out;
    }

    private String required(Map<String, Node> m, Node owner, String path, String key) {
        Node n = m.get(key);
        if (n == null) {
            problem(owner, path + "." + key, "missing");
            return null;
        }
        return scalar(n, path + "." + key);
    }

    private String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode) || isNull(node)) {
            problem(node, path, "must be a single value");
            return null;
        }
        String v = ((ScalarNode) node).getValue().trim();
        if (v.isEmpty()) {
            problem(node, path, "must not be empty");
            return null;
        }
        return v;
    }

    private String identifier(Node node, String path) {
        String v = scalar(node, path);
        if (v != null && !IDENTIFIER.matcher(v).matches()) {
            problem(node, path, "'" + v + "' is not a column name (letters, digits and _, or a quoted name)");
            return null;
        }
        return v;
    }

    private QualifiedName tableName(Map<String, Node> m, Node owner, String path, String key, boolean required) {
        Node n = m.get(key);
        if (n == null) {
            if (required) {
                problem(owner, path + "." + key, "missing");
            }
            return null;
        }
        String v = scalar(n, path + "." + key);
        if (v == null) {
            return null;
        }
        try {
            QualifiedName q = QualifiedName.parse(v);
            if ((q.schema() == null || IDENTIFIER.matcher(q.schema()).matches())
                    && IDENTIFIER.matcher(q.name()).matches()) {
                return q;
            }
            problem(n, path + "." + key, "'" + v + "' is not a table name (name or schema.name)");
        } catch (IllegalArgumentException e) {
            problem(n, path + "." + key, e.getMessage());
        }
        return null;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private void problem(Node node, String path, String message) {
        Mark mark = node == null ? null : node.getStartMark();
        problems.add(new RuleFileException.Problem(file, mark == null ? 0 : mark.getLine() + 1,
                mark == null ? 0 : mark.getColumn() + 1, path, message));
    }

    private void problem(Migration m, String field, String message) {
        problems.add(new RuleFileException.Problem(file, m.line(), 0, "migration " + m.id() + "." + field, message));
    }
}
