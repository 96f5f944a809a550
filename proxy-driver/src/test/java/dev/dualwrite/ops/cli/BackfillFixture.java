package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Tables and rules for the backfill and verify tests: a column migration (users), a table move
 * (orders -> orders_v2), and one of each with a composite key (members, lines -> order_lines_v2). The
 * expected new side is computed here in Java, independently of the SQL under test.
 */
final class BackfillFixture {
    static final String RULES = "version: 1\n"
            + "migrations:\n"
            + "  - id: users-display-name\n"
            + "    table: users\n"
            + "    phase: migrate\n"
            + "    columns:\n"
            + "      user_name: { to: display_name }\n"
            + "      score: { to: points, to_new: \"{} * 10\", to_old: \"{} / 10\" }\n"
            + "      tier: { to: tier_name, values: { G: gold, S: silver } }\n"
            + "  - id: orders-v2\n"
            + "    table: orders\n"
            + "    to_table: orders_v2\n"
            + "    phase: expand\n"
            + "    columns:\n"
            + "      user_id: { to: customer_id }\n"
            + "      amount: { to: cents, to_new: \"{} * 100\", to_old: \"{} / 100\" }\n"
            + "      status: { to: state, values: { A: active, C: cancelled } }\n"
            + "      note: { drop: true }\n"
            + "  - id: members-role\n"
            + "    table: members\n"
            + "    phase: expand\n"
            + "    columns:\n"
            + "      role: { to: role_name, values: { a: admin, u: user } }\n"
            + "  - id: lines-v2\n"
            + "    table: order_lines\n"
            + "    to_table: order_lines_v2\n"
            + "    phase: expand\n"
            + "    columns:\n"
            + "      qty: { to: quantity }\n";

    private BackfillFixture() {
    }

    static Path rules(Path dir, String text) throws Exception {
        Path file = dir.resolve("migrations.yaml");
        Files.writeString(file, text);
        return file;
    }

    /** The numbers 1..n as a derived table with column g. */
    static String series(Engine engine, int n) {
        return engine == Engine.POSTGRESQL ? "generate_series(1, " + n + ") AS s(g)"
                : "(SELECT seq AS g FROM seq_1_to_" + n + ") s";
    }

    /** All four tables, the old sides filled with {@code n} rows each (composite ones with n/10 * 10), new sides empty. */
    static void create(TestDatabase db, int n) throws SQLException {
        create(db, n, true);
    }

    /** As {@link #create(TestDatabase, int)}; without the composite-key tables when {@code composite} is false. */
    static void create(TestDatabase db, int n, boolean composite) throws SQLException {
        Engine e = db.engine();
        String div = e == Engine.POSTGRESQL ? " / " : " DIV "; // integer division
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50),"
                        + " score INT, points INT, tier VARCHAR(10), tier_name VARCHAR(10))",
                "INSERT INTO users (id, user_name, score, tier) SELECT g, CONCAT('user', g),"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE g % 100 END,"
                        + " CASE g % 3 WHEN 0 THEN 'G' WHEN 1 THEN 'S' ELSE 'X' END FROM " + series(e, n),
                "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, amount INT, status VARCHAR(20), note VARCHAR(50))",
                "CREATE TABLE orders_v2 (id INT PRIMARY KEY, customer_id INT, cents INT, state VARCHAR(20))",
                "INSERT INTO orders SELECT g, g % 1000, g % 500, CASE g % 4 WHEN 0 THEN 'A' WHEN 1 THEN 'C'"
                        + " WHEN 2 THEN 'X' END, 'n' FROM " + series(e, n));
        if (!composite) {
            return;
        }
        db.exec(                "CREATE TABLE members (tenant INT, id INT, role VARCHAR(10), role_name VARCHAR(10),"
                        + " PRIMARY KEY (tenant, id))",
                "INSERT INTO members (tenant, id, role) SELECT g % 10, g" + div + "10, CASE WHEN g % 3 = 0 THEN 'a' ELSE 'u' END"
                        + " FROM " + series(e, n),
                "CREATE TABLE order_lines (order_id INT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))",
                "CREATE TABLE order_lines_v2 (order_id INT, line_no INT, quantity INT, PRIMARY KEY (order_id, line_no))",
                "INSERT INTO order_lines SELECT g" + div + "4, g % 4, g FROM " + series(e, n));
    }

    /** Rows whose new side is not what the rule implies of the old side, read back with raw JDBC. */
    static List<String> wrong(TestDatabase db, String migration) throws SQLException {
        List<String> wrong = new ArrayList<>();
        switch (migration) {
            case "users-display-name":
                for (List<Object> r : db.query("SELECT id, user_name, display_name, score, points, tier, tier_name"
                        + " FROM users")) {
                    Object points = r.get(3) == null ? null : ((Number) r.get(3)).longValue() * 10;
                    if (!Objects.equals(r.get(1), r.get(2)) || !Objects.equals(points, longOrNull(r.get(4)))
                            || !Objects.equals(values(r.get(5)), r.get(6))) {
                        wrong.add(r.toString());
                    }
                }
                return wrong;
            case "members-role":
                for (List<Object> r : db.query("SELECT tenant, id, role, role_name FROM members")) {
                    Object expected = "a".equals(r.get(2)) ? "admin" : "u".equals(r.get(2)) ? "user" : r.get(2);
                    if (!Objects.equals(expected, r.get(3))) {
                        wrong.add(r.toString());
                    }
                }
                return wrong;
            case "orders-v2":
                return moved(db, "SELECT id, user_id, amount, status FROM orders",
                        "SELECT id, customer_id, cents, state FROM orders_v2", 1, r -> java.util.Arrays.asList(r.get(0),
                                r.get(1), r.get(2) == null ? null : ((Number) r.get(2)).longValue() * 100, state(r.get(3))));
            case "lines-v2":
                return moved(db, "SELECT order_id, line_no, qty FROM order_lines",
                        "SELECT order_id, line_no, quantity FROM order_lines_v2", 2, r -> r);
            default:
                throw new IllegalArgumentException(migration);
        }
    }

    private static Object longOrNull(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    private static Object values(Object tier) {
        return "G".equals(tier) ? "gold" : "S".equals(tier) ? "silver" : tier;
    }

    private static Object state(Object status) {
        return "A".equals(status) ? "active" : "C".equals(status) ? "cancelled" : status;
    }

    /** A move: every old row, mapped, has an equal new row of its key, and the new table has no other row. */
    private static List<String> moved(TestDatabase db, String oldSql, String newSql, int keyColumns,
            java.util.function.Function<List<Object>, List<Object>> map) throws SQLException {
        Map<String, String> expected = byKey(db.query(oldSql), keyColumns, map);
        Map<String, String> actual = byKey(db.query(newSql), keyColumns, r -> r);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                wrong.add("expected " + e.getValue() + ", found " + actual.get(e.getKey()));
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                wrong.add("extra new row " + actual.get(k));
            }
        }
        return wrong;
    }

    private static Map<String, String> byKey(List<List<Object>> rows, int keyColumns,
            java.util.function.Function<List<Object>, List<Object>> map) {
        Map<String, String> out = new HashMap<>();
        for (List<Object> r : rows) {
            List<String> t = text(map.apply(r));
            out.put(String.join(",", t.subList(0, keyColumns)), String.join("|", t));
        }
        return out;
    }

    private static List<String> text(List<Object> row) {
        List<String> out = new ArrayList<>();
        for (Object o : row) {
            out.add(o instanceof Number ? String.valueOf(((Number) o).longValue()) : String.valueOf(o));
        }
        return out;
    }

    /** Makes the backfill command with a test clock and batch hook; every other command as usual. */
    static CommandLine.IFactory factory(Clock clock, Backfill.BatchHook hook) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == BackfillCommand.class) {
                    return cls.cast(new BackfillCommand(clock, hook, false));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
    }

    /** A clock whose sleeps only advance its time, record themselves and may run a test's action. */
    static final class FakeClock implements Clock {
        final List<Long> sleeps = new ArrayList<>();
        Runnable onSleep = () -> { };
        private long nanos = 1;

        @Override
        public synchronized long nanos() {
            return nanos;
        }

        @Override
        public synchronized void sleep(long millis) {
            sleeps.add(millis);
            nanos += millis * 1_000_000L;
            onSleep.run();
        }

        long slept() {
            return sleeps.stream().mapToLong(Long::longValue).sum();
        }
    }
}
