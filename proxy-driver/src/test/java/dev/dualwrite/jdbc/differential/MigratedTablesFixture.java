package dev.dualwrite.jdbc.differential;

import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.testdb.Engine;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reliability suite's schema ({@code reliability.MigratedTables}) as a differential fixture: a column rule on
 * {@code users} (user_name to display_name, score to points through {@code {} + 1000}) and a move of
 * {@code orders} to {@code orders_v2} (user_id to customer_id, amount to cents through {@code {} * 100},
 * status to state by values), both rules in the same phase, fully backfilled. The columns under migration
 * come last in users, so its shape is the same in every phase.
 */
final class MigratedTablesFixture implements Fixture {
    private static final int ROWS = 20;
    private static final String USERS = "SELECT id, user_name, score FROM users";
    private static final String ORDERS = "SELECT id, user_id, amount, status FROM orders";

    @Override
    public String ruleFile(Phase p) {
        String reads = p.reads == null ? "" : "    reads: " + p.reads + "\n";
        return "version: 1\nmigrations:\n"
                + "  - id: users-columns\n    table: users\n    phase: " + p.phase + "\n" + reads
                + "    columns:\n"
                + "      user_name: { to: display_name }\n"
                + "      score: { to: points, to_new: \"{} + 1000\", to_old: \"{} - 1000\" }\n"
                + "  - id: orders-move\n    table: orders\n    to_table: orders_v2\n    key: [id]\n"
                + "    phase: " + p.phase + "\n" + reads
                + "    columns:\n"
                + "      user_id: { to: customer_id }\n"
                + "      amount: { to: cents, to_new: \"{} * 100\", to_old: \"{} / 100\" }\n"
                + "      status: { to: state, values: { A: active, C: cancelled } }\n";
    }

    @Override
    public List<String> schema(Engine engine, Phase phase, boolean migrated) {
        boolean contract = migrated && phase == Phase.CONTRACT;
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE users (id INT PRIMARY KEY" + (contract ? "" : ", user_name VARCHAR(100), score INT")
                + (migrated ? ", display_name VARCHAR(100), points INT" : "") + ")");
        if (!contract) {
            sql.add("CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, amount INT, status VARCHAR(20))");
        }
        if (migrated) {
            sql.add("CREATE TABLE orders_v2 (id INT PRIMARY KEY, customer_id INT, cents INT, state VARCHAR(20))");
        }
        for (int i = 1; i <= ROWS; i++) {
            String name = i % 7 == 0 ? "NULL" : "'u" + i + "'";
            String old = name + ", " + i;
            String neu = name + ", " + (i + 1000);
            sql.add("INSERT INTO users VALUES (" + i + (contract ? "" : ", " + old) + (migrated ? ", " + neu : "") + ")");
            String status = i % 3 == 0 ? "'C'" : i % 5 == 0 ? "'X'" : "'A'";
            String state = i % 3 == 0 ? "'cancelled'" : i % 5 == 0 ? "'X'" : "'active'";
            if (!contract) {
                sql.add("INSERT INTO orders VALUES (" + i + ", " + i % 4 + ", " + i + ", " + status + ")");
            }
            if (migrated) {
                sql.add("INSERT INTO orders_v2 VALUES (" + i + ", " + i % 4 + ", " + i * 100 + ", " + state + ")");
            }
        }
        return sql;
    }

    @Override
    public List<String> migratedState(Engine engine, Phase phase) {
        if (phase == Phase.CONTRACT) {
            return List.of("SELECT id, display_name, points - 1000 FROM users",
                    "SELECT id, customer_id, cents / 100, CASE " + engine.exact("state") + " WHEN 'active' THEN 'A' WHEN 'cancelled' THEN 'C'"
                            + " ELSE state END FROM orders_v2");
        }
        return controlState();
    }

    @Override
    public List<String> controlState() {
        return List.of(USERS, ORDERS);
    }

    @Override
    public String violation(Engine engine, Phase phase, Reader migrated) throws SQLException {
        List<List<String>> users = migrated.rows("SELECT id, user_name, display_name, score, points FROM users WHERE "
                + engine.textDiffers("display_name", "user_name") + " OR " + engine.differs("points", "score + 1000"));
        if (!users.isEmpty()) {
            return "old and new columns of users diverged in " + users;
        }
        List<List<String>> orders = migrated.rows(MoveFixture.notTheMapping(engine));
        if (!orders.isEmpty()) {
            return "orders_v2 rows not equal to the mapping of orders (or left behind): " + orders;
        }
        List<List<String>> missing = migrated.rows("SELECT o.id FROM orders o LEFT JOIN orders_v2 n ON n.id = o.id"
                + " WHERE n.id IS NULL");
        return missing.isEmpty() ? null : "rows in orders but missing from orders_v2: " + missing;
    }

    @Override
    public String identityTable() {
        return null;
    }

    @Override
    public Set<String> addedLabels() {
        return Set.of("display_name", "points");
    }
}
