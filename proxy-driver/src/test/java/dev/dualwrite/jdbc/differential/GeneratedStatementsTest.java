package dev.dualwrite.jdbc.differential;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dualwrite.jdbc.differential.Differential.Outcome;
import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.differential.Differential.Verdict;
import dev.dualwrite.jdbc.testdb.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based differential testing: jqwik combines statement shapes, table references (aliases,
 * schema-qualified, quoted), column spellings (case, quoting, qualification), value expressions that
 * read the migrated columns, predicates and joins, and every generated statement must come out of the
 * driver exactly as it does from a never-migrated copy, in every phase, on both engines. Statements
 * that are invalid SQL must fail on both sides.
 */
class GeneratedStatementsTest {
    private static final Map<String, Differential> HARNESSES = new ConcurrentHashMap<>();

    @Property(tries = 400, seed = "20261207")
    void postgresql(@ForAll("statements") Generated g) throws Exception {
        check(Engine.POSTGRESQL, g);
    }

    @Property(tries = 400, seed = "20261207")
    void mysql(@ForAll("statements") Generated g) throws Exception {
        check(Engine.MYSQL, g);
    }

    private static void check(Engine engine, Generated g) throws Exception {
        String sql = g.render(engine);
        for (Phase phase : Phase.values()) {
            Outcome o = harness(engine, phase).run(sql, Corpus.Mode.PREP, List.of(g.params));
            String where = engine + " " + phase + ": " + sql + " :: " + g.params;
            assertNull(o.mismatch, () -> where + "\n  -> the driver diverged from the control: " + o.mismatch);
            assertNotEquals(Verdict.REJECTED, o.verdict, () -> where + "\n  -> rejected: " + o.detail);
            Statistics.label("verdict").collect(o.verdict);
        }
        Statistics.label("shape").collect(sql.substring(0, sql.indexOf(' ')) + (sql.contains("SELECT s.") ? " SELECT"
                : sql.contains("CONFLICT") || sql.contains("DUPLICATE") || sql.contains("IGNORE") ? " upsert" : ""));
    }

    private static Differential harness(Engine engine, Phase phase) {
        return HARNESSES.computeIfAbsent(engine + "/" + phase, k -> {
            try {
                return new Differential(engine, phase, Files.createTempDirectory("dualwrite-gen"));
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the harness for " + k, e);
            }
        });
    }

    @AfterContainer
    static void close() throws Exception {
        for (Differential h : HARNESSES.values()) {
            h.close();
        }
        HARNESSES.clear();
    }

    /** A statement written with backticks for quoted names; PostgreSQL gets double quotes. */
    static final class Generated {
        final String sql;
        final String mysqlSql;
        final List<Object> params;

        Generated(String sql, List<Object> params) {
            this(sql, sql, params);
        }

        /** A statement whose PostgreSQL and MySQL spellings differ (upserts). */
        Generated(String sql, String mysqlSql, List<Object> params) {
            this.sql = sql;
            this.mysqlSql = mysqlSql;
            this.params = params;
        }

        String render(Engine e) {
            return e == Engine.POSTGRESQL ? sql.replace('`', '"') : mysqlSql;
        }

        @Override
        public String toString() {
            return sql + " :: " + params;
        }
    }

    // --- generators ----------------------------------------------------------------------------------

    /** How the statement names the users table, and how its columns may be qualified. */
    static final class TableRef {
        final String sql;
        final String qualifier;

        TableRef(String sql, String qualifier) {
            this.sql = sql;
            this.qualifier = qualifier;
        }
    }

    static Arbitrary<TableRef> tableRef() {
        return Arbitraries.of(
                new TableRef("users", "users"), new TableRef("users u", "u"), new TableRef("users AS x", "x"),
                new TableRef("${schema}.users", "users"), new TableRef("`users`", "`users`"),
                new TableRef("${schema}.users uu", "uu"));
    }

    /** A spelling of a column name: plain, upper case, quoted (lowercase, valid on both engines). */
    static Arbitrary<String> spelling(String name) {
        return Arbitraries.of(name, name.toUpperCase(java.util.Locale.ROOT), "`" + name + "`");
    }

    /** A column reference, qualified or not. */
    static Arbitrary<String> ref(String name, TableRef t) {
        return Combinators.combine(spelling(name), Arbitraries.of(true, false))
                .as((n, q) -> q ? t.qualifier + "." + n : n);
    }

    static final String[] MIGRATED = {"user_name", "score", "status"};

    /** A value for a column, possibly reading migrated columns of the same row. */
    static Arbitrary<String[]> value(String column, TableRef t) {
        switch (column) {
            case "user_name":
                return Arbitraries.oneOf(
                        Arbitraries.strings().withCharRange('a', 'z').ofLength(5).map(s -> new String[] {"?", "P" + s}),
                        Arbitraries.strings().withCharRange('a', 'z').ofLength(4).map(s -> new String[] {"'L" + s + "'"}),
                        ref("user_name", t).map(r -> new String[] {"upper(" + r + ")"}),
                        ref("user_name", t).map(r -> new String[] {"concat(" + r + ", 'x')"}),
                        ref("email", t).map(r -> new String[] {"coalesce(" + r + ", 'none')"}),
                        ref("team_id", t).map(r -> new String[] {"(SELECT concat(tm.name, tm.id) FROM teams tm WHERE tm.id = "
                                + r + ")"}),
                        Arbitraries.just(new String[] {"NULL"}));
            case "score":
                return Arbitraries.oneOf(
                        Arbitraries.integers().between(-5, 500).map(i -> new String[] {"?", String.valueOf(i)}),
                        Arbitraries.integers().between(0, 99).map(i -> new String[] {String.valueOf(i)}),
                        ref("score", t).map(r -> new String[] {r + " + 1"}),
                        ref("score", t).map(r -> new String[] {"coalesce(" + r + ", 0) * 2"}),
                        ref("id", t).map(r -> new String[] {r + " + 7"}));
            case "status":
                return Arbitraries.oneOf(
                        Arbitraries.of("A", "C", "X", "P").map(v -> new String[] {"?", v}),
                        Arbitraries.of("'A'", "'C'", "'X'", "NULL").map(v -> new String[] {v}),
                        ref("id", t).map(r -> new String[] {"CASE WHEN " + r + " > 3 THEN 'A' ELSE 'C' END"}),
                        ref("status", t).map(r -> new String[] {r}));
            default:
                return Arbitraries.oneOf(
                        Arbitraries.strings().withCharRange('a', 'z').ofLength(3).map(s -> new String[] {"?", s + "@y"}),
                        ref("user_name", t).map(r -> new String[] {r}));
        }
    }

    /** A WHERE predicate on the users table, often on a migrated column. */
    static Arbitrary<String[]> predicate(TableRef t) {
        return Arbitraries.oneOf(
                Combinators.combine(ref("id", t), Arbitraries.integers().between(1, 7))
                        .as((r, i) -> new String[] {r + " = ?", String.valueOf(i)}),
                Combinators.combine(ref("user_name", t), Arbitraries.of("Alice", "Bob", "Dave", "nobody"))
                        .as((r, v) -> new String[] {r + " = ?", v}),
                ref("user_name", t).map(r -> new String[] {r + " LIKE 'A%'"}),
                ref("score", t).map(r -> new String[] {r + " IS NULL"}),
                Combinators.combine(ref("score", t), Arbitraries.integers().between(0, 60))
                        .as((r, i) -> new String[] {r + " > ?", String.valueOf(i)}),
                ref("status", t).map(r -> new String[] {r + " IN ('A', 'X')"}),
                ref("user_name", t).map(r -> new String[] {r + " IN (SELECT tm.user_name FROM teams tm)"}),
                ref("id", t).map(r -> new String[] {"EXISTS (SELECT 1 FROM orders o WHERE o.user_id = " + r + ")"}));
    }

    @Provide
    Arbitrary<Generated> statements() {
        // Writes weigh more: they are where a wrong mirror would corrupt data.
        return Arbitraries.frequencyOf(Tuple.of(3, select()), Tuple.of(4, update()), Tuple.of(2, insert()),
                Tuple.of(1, insertSelect()), Tuple.of(2, upsert()), Tuple.of(1, delete()));
    }

    Arbitrary<Generated> insertSelect() {
        TableRef src = new TableRef("users s", "s");
        return Combinators.combine(predicate(src), Arbitraries.of("", "upper")).as((p, f) -> {
            List<Object> params = new ArrayList<>();
            String where = add(p, params);
            return new Generated("INSERT INTO users (id, user_name, score, status) SELECT s.id + 100, " + f
                    + "(concat(s.user_name, 'c')), s.score, s.status FROM users s WHERE " + where, params);
        });
    }

    /** Upserts: ON CONFLICT on PostgreSQL, ON DUPLICATE KEY UPDATE on MySQL, the same meaning. */
    Arbitrary<Generated> upsert() {
        return Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.strings().withCharRange('a', 'z')
                .ofLength(5), Arbitraries.integers().between(0, 3), Arbitraries.of("A", "C", "P"))
                .as((id, name, variant, status) -> {
                    List<Object> params = List.of(id, "U" + name, status);
                    String insert = "INSERT INTO users (id, user_name, status) VALUES (?, ?, ?)";
                    switch (variant) {
                        case 0:
                            return new Generated(insert + " ON CONFLICT (id) DO UPDATE SET user_name = EXCLUDED.user_name,"
                                    + " status = EXCLUDED.status", insert + " ON DUPLICATE KEY UPDATE user_name ="
                                    + " VALUES(user_name), status = VALUES(status)", params);
                        case 1:
                            return new Generated(insert + " ON CONFLICT (id) DO UPDATE SET score = users.score + 1,"
                                    + " user_name = concat(users.user_name, EXCLUDED.user_name)", insert
                                    + " ON DUPLICATE KEY UPDATE score = score + 1, user_name = concat(user_name,"
                                    + " VALUES(user_name))", params);
                        case 2:
                            return new Generated(insert + " ON CONFLICT DO NOTHING", "INSERT IGNORE INTO users (id,"
                                    + " user_name, status) VALUES (?, ?, ?)", params);
                        default:
                            return new Generated(insert + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status"
                                    + " WHERE users.score > 15", insert + " ON DUPLICATE KEY UPDATE status ="
                                    + " IF(score > 15, VALUES(status), status)", params);
                    }
                });
    }

    Arbitrary<Generated> select() {
        return tableRef().flatMap(t -> {
            Arbitrary<List<String>> items = Arbitraries.of("id", "user_name", "score", "status", "email")
                    .flatMap(c -> Combinators.combine(ref(c, t), Arbitraries.of("", " AS out_" + c, " " + c))
                            .as((r, a) -> r + a))
                    .list().ofMinSize(1).ofMaxSize(4).uniqueElements();
            Arbitrary<String> from = Arbitraries.of("", " JOIN teams tm ON tm.id = " + t.qualifier + ".team_id",
                    " LEFT JOIN orders o ON o.user_id = " + t.qualifier + ".id");
            Arbitrary<String> tail = Arbitraries.oneOf(Arbitraries.just(""),
                    ref("user_name", t).map(r -> " ORDER BY " + r), ref("score", t).map(r -> " ORDER BY " + r + " DESC"));
            return Combinators.combine(Arbitraries.oneOf(items, Arbitraries.just(List.of("*"))), from,
                    predicate(t).injectNull(0.3), tail).as((its, f, p, tl) -> {
                        List<Object> params = new ArrayList<>();
                        String where = p == null ? "" : " WHERE " + add(p, params);
                        return new Generated("SELECT " + String.join(", ", its) + " FROM " + t.sql + f + where + tl,
                                params);
                    });
        });
    }

    Arbitrary<Generated> update() {
        return tableRef().flatMap(t -> Arbitraries.of("user_name", "score", "status", "email").list().ofMinSize(1)
                .ofMaxSize(3).uniqueElements().flatMap(cols -> {
                    List<Arbitrary<String[]>> sets = new ArrayList<>();
                    for (String c : cols) {
                        sets.add(Combinators.combine(spelling(c), value(c, t)).as((n, v) -> prepend(n + " = ", v)));
                    }
                    return Combinators.combine(Combinators.combine(sets).as(l -> l), predicate(t))
                            .as((assigns, p) -> {
                                List<Object> params = new ArrayList<>();
                                List<String> parts = new ArrayList<>();
                                for (String[] a : assigns) {
                                    parts.add(add(a, params));
                                }
                                String where = add(p, params);
                                return new Generated("UPDATE " + t.sql + " SET " + String.join(", ", parts) + " WHERE "
                                        + where, params);
                            });
                }));
    }

    Arbitrary<Generated> insert() {
        TableRef plain = new TableRef("users", "users");
        return Arbitraries.of("email", "team_id", "user_name", "score", "status").list().ofMaxSize(5).uniqueElements()
                .flatMap(cols -> {
                    List<Arbitrary<String[]>> vals = new ArrayList<>();
                    for (String c : cols) {
                        vals.add(c.equals("team_id") ? Arbitraries.just(new String[] {"2"})
                                : valueForInsert(c));
                    }
                    return Combinators.combine(Combinators.combine(vals).as(l -> l), Arbitraries.integers().between(10, 20),
                            Arbitraries.of("users", "${schema}.users", "`users`"))
                            .as((vs, id, table) -> {
                                List<Object> params = new ArrayList<>();
                                List<String> parts = new ArrayList<>();
                                parts.add(String.valueOf(id));
                                for (String[] v : vs) {
                                    parts.add(add(v, params));
                                }
                                List<String> names = new ArrayList<>(List.of("id"));
                                names.addAll(cols);
                                return new Generated("INSERT INTO " + table + " (" + String.join(", ", names)
                                        + ") VALUES (" + String.join(", ", parts) + ")", params);
                            });
                });
    }

    /** Insert values may not read the row's own columns. */
    private static Arbitrary<String[]> valueForInsert(String c) {
        TableRef none = new TableRef("users", "users");
        return value(c, none).filter(v -> !v[0].contains("users.") && !v[0].matches("(?i).*\\b(user_name|score|status|email|id)\\b.*"));
    }

    Arbitrary<Generated> delete() {
        return Combinators.combine(Arbitraries.of(new TableRef("users", "users"), new TableRef("${schema}.users", "users"),
                new TableRef("`users`", "`users`")), Arbitraries.just(0)).as((t, z) -> t)
                .flatMap(t -> predicate(t).map(p -> {
                    List<Object> params = new ArrayList<>();
                    return new Generated("DELETE FROM " + t.sql + " WHERE " + add(p, params), params);
                }));
    }

    /** Appends a fragment's parameter (if it has one) and returns its SQL. */
    private static String add(String[] fragment, List<Object> params) {
        if (fragment.length > 1) {
            String v = fragment[1];
            params.add(v.matches("-?\\d+") ? (Object) Integer.valueOf(v) : v);
        }
        return fragment[0];
    }

    private static String[] prepend(String prefix, String[] v) {
        String[] out = v.clone();
        out[0] = prefix + v[0];
        return out;
    }
}
