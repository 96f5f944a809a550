package dev.dualwrite.jdbc.differential;

import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.testdb.Engine;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A table move: {@code orders} moves to {@code orders_v2}, user_id renamed to customer_id, amount carried
 * as cents ({@code {} * 100}), status mapped to state by values, note dropped. In expand the backfill has
 * reached rows 1 to 3 only; before reads flip it is complete; in contract the old table is gone.
 * {@code customers} does not move. Notes are never written, since the move drops them.
 */
final class MoveFixture implements Fixture {
    static final String ORDERS = "SELECT id, user_id, amount, status, note FROM orders";
    static final String CUSTOMERS = "SELECT * FROM customers";
    private static final List<List<String>> NOT_BACKFILLED = List.of(
            List.of("4", "3", "10", "X", "NULL"), List.of("5", "9", "5", "NULL", "NULL"));

    @Override
    public String ruleFile(Phase p) {
        return "version: 1\nmigrations:\n  - id: orders-v2\n    table: orders\n    to_table: orders_v2\n"
                + "    key: [id]\n    phase: " + p.phase + "\n" + (p.reads == null ? "" : "    reads: " + p.reads + "\n")
                + "    columns:\n"
                + "      user_id: { to: customer_id }\n"
                + "      amount: { to: cents, to_new: \"{} * 100\", to_old: \"{} / 100\" }\n"
                + "      status: { to: state, values: { A: active, C: cancelled } }\n"
                + "      note: { drop: true }\n";
    }

    @Override
    public List<String> schema(Engine engine, Phase phase, boolean migrated) {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50))");
        sql.add("INSERT INTO customers VALUES (1, 'Ann'), (2, 'Ben'), (3, 'Cy')");
        String[] rows = {"1, 1, 100, 'A'", "2, 1, 250, 'C'", "3, 2, 75, 'A'", "4, 3, 10, 'X'", "5, 9, 5, NULL"};
        String[] moved = {"1, 1, 10000, 'active'", "2, 1, 25000, 'cancelled'", "3, 2, 7500, 'active'",
            "4, 3, 1000, 'X'", "5, 9, 500, NULL"};
        if (!migrated || phase != Phase.CONTRACT) {
            sql.add("CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, amount INT, status VARCHAR(20),"
                    + " note VARCHAR(50))");
            for (String r : rows) {
                sql.add("INSERT INTO orders VALUES (" + r + ", NULL)");
            }
        }
        if (migrated) {
            sql.add("CREATE TABLE orders_v2 (id INT PRIMARY KEY, customer_id INT, cents INT, state VARCHAR(20))");
            int backfilled = phase == Phase.EXPAND ? 3 : moved.length;
            for (int i = 0; i < backfilled; i++) {
                sql.add("INSERT INTO orders_v2 VALUES (" + moved[i] + ")");
            }
        }
        return sql;
    }

    @Override
    public List<String> migratedState(Engine engine, Phase phase) {
        if (phase == Phase.CONTRACT) {
            return List.of("SELECT id, customer_id, cents / 100, CASE state WHEN 'active' THEN 'A' WHEN 'cancelled'"
                    + " THEN 'C' ELSE state END, NULL FROM orders_v2", CUSTOMERS);
        }
        return controlState();
    }

    @Override
    public List<String> controlState() {
        return List.of(ORDERS, CUSTOMERS);
    }

    @Override
    public String violation(Engine engine, Phase phase, Reader migrated) throws SQLException {
        List<List<String>> wrong = migrated.rows(notTheMapping(engine));
        if (!wrong.isEmpty()) {
            return "orders_v2 rows not equal to the mapping of orders (or left behind): " + wrong;
        }
        List<List<String>> missing = new ArrayList<>(migrated.rows("SELECT o.id, o.user_id, o.amount, o.status, o.note"
                + " FROM orders o LEFT JOIN orders_v2 n ON n.id = o.id WHERE n.id IS NULL"));
        missing.removeAll(NOT_BACKFILLED); // untouched rows the backfill has not reached yet
        return missing.isEmpty() ? null : "rows written to orders but missing from orders_v2: " + missing;
    }

    /** Keys of orders_v2 rows that are not the mapping of the orders row with that key (or have none). */
    static String notTheMapping(Engine engine) {
        String state = "CASE " + engine.exact("o.status") + " WHEN 'A' THEN 'active' WHEN 'C' THEN 'cancelled' ELSE o.status END";
        return "SELECT n.id FROM orders_v2 n LEFT JOIN orders o ON o.id = n.id WHERE o.id IS NULL OR "
                + engine.differs("n.customer_id", "o.user_id") + " OR " + engine.differs("n.cents", "o.amount * 100")
                + " OR " + engine.textDiffers("n.state", state);
    }

    @Override
    public String identityTable() {
        return null;
    }

    @Override
    public Set<String> addedLabels() {
        return Set.of();
    }
}
