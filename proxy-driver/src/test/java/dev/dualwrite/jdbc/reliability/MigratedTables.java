package dev.dualwrite.jdbc.reliability;

import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema every reliability test writes: {@code users} under a column rule (user_name to display_name,
 * score to points through {@code {} + 1000}) and {@code orders} moved to {@code orders_v2} (user_id to
 * customer_id, amount to cents through {@code {} * 100}, status to state by a value map). Both start fully
 * backfilled, so from the first statement on old and new must agree exactly.
 */
final class MigratedTables {
    static final int SEED_ROWS = 20;

    private MigratedTables() {
    }

    /** Creates and seeds the tables on a fresh database. */
    static void create(TestDatabase db) throws SQLException {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), score INT,"
                + " display_name VARCHAR(100), points INT)");
        sql.add("CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, amount INT, status VARCHAR(20))");
        sql.add("CREATE TABLE orders_v2 (id INT PRIMARY KEY, customer_id INT, cents INT, state VARCHAR(20))");
        for (int i = 1; i <= SEED_ROWS; i++) {
            sql.add("INSERT INTO users VALUES (" + i + ", 'u" + i + "', " + i + ", 'u" + i + "', " + (i + 1000) + ")");
            String status = i % 3 == 0 ? "'C'" : "'A'";
            String state = i % 3 == 0 ? "'cancelled'" : "'active'";
            sql.add("INSERT INTO orders VALUES (" + i + ", " + i + ", " + i + ", " + status + ")");
            sql.add("INSERT INTO orders_v2 VALUES (" + i + ", " + i + ", " + i * 100 + ", " + state + ")");
        }
        db.exec(sql.toArray(new String[0]));
    }

    /** A rule file; {@code reads} null leaves the flag out (expand). */
    static String ruleFile(String usersPhase, String usersReads, String ordersPhase, String ordersReads) {
        return "version: 1\nmigrations:\n"
                + "  - id: users-columns\n    table: users\n    phase: " + usersPhase + "\n"
                + (usersReads == null ? "" : "    reads: " + usersReads + "\n")
                + "    columns:\n"
                + "      user_name: { to: display_name }\n"
                + "      score: { to: points, to_new: \"{} + 1000\", to_old: \"{} - 1000\" }\n"
                + "  - id: orders-move\n    table: orders\n    to_table: orders_v2\n    key: [id]\n"
                + "    phase: " + ordersPhase + "\n"
                + (ordersReads == null ? "" : "    reads: " + ordersReads + "\n")
                + "    columns:\n"
                + "      user_id: { to: customer_id }\n"
                + "      amount: { to: cents, to_new: \"{} * 100\", to_old: \"{} / 100\" }\n"
                + "      status: { to: state, values: { A: active, C: cancelled } }\n";
    }

    /** Both rules in expand: the state the tests start from. */
    static String expand() {
        return ruleFile("expand", null, "expand", null);
    }

    /**
     * Rows where old and new disagree, raw JDBC: users whose new columns are not the rule applied to the old
     * ones, and orders keys present on one side only or whose orders_v2 row is not the mapping of the orders
     * row. Empty when nothing diverged.
     */
    static List<List<Object>> divergences(TestDatabase db) throws SQLException {
        Engine e = db.engine();
        String state = "CASE " + e.exact("o.status") + " WHEN 'A' THEN 'active' WHEN 'C' THEN 'cancelled' ELSE o.status END";
        List<List<Object>> out = new ArrayList<>();
        out.addAll(db.query("SELECT 'users', id, user_name, display_name, score, points FROM users WHERE "
                + e.textDiffers("display_name", "user_name") + " OR " + e.differs("points", "score + 1000")));
        out.addAll(db.query("SELECT 'orders_v2 not the mapping', n.id, n.customer_id, n.cents, n.state FROM orders_v2 n"
                + " LEFT JOIN orders o ON o.id = n.id WHERE o.id IS NULL OR " + e.differs("n.customer_id", "o.user_id")
                + " OR " + e.differs("n.cents", "o.amount * 100") + " OR " + e.textDiffers("n.state", state)));
        out.addAll(db.query("SELECT 'orders missing from orders_v2', o.id FROM orders o"
                + " LEFT JOIN orders_v2 n ON n.id = o.id WHERE n.id IS NULL"));
        return out;
    }

    /** One row of users as (user_name, score, display_name, points), or null when the row is absent. */
    static List<Object> user(TestDatabase db, int id) throws SQLException {
        List<List<Object>> rows = db.query("SELECT user_name, score, display_name, points FROM users WHERE id = " + id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** (rows in orders, rows in orders_v2) with this key. */
    static List<Long> orderCounts(TestDatabase db, int id) throws SQLException {
        List<Object> r = db.query("SELECT (SELECT count(*) FROM orders WHERE id = " + id + "),"
                + " (SELECT count(*) FROM orders_v2 WHERE id = " + id + ")").get(0);
        return List.of(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue());
    }
}
