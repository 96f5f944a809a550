package dev.dualwrite.examples.strangler;


/**
 * The table move {@code orders -> billing.orders_v2} (PostgreSQL): {@code status} becomes
 * {@code order_state}, with its one-letter codes spelled out ({@code A -> active}, {@code C -> cancelled}).
 * The operator's side of it: the new table, the rule file entry and the row-by-row check (the backfill is
 * the driver's own command).
 */
public final class OrdersToBilling {
    public static final String RULE_ID = "orders-to-billing";

    public static final String CREATE_OLD_TABLE =
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL)";
    public static final String[] CREATE_NEW_TABLE = {
        "CREATE SCHEMA billing",
        "CREATE TABLE billing.orders_v2 (id bigint PRIMARY KEY, user_id bigint NOT NULL, order_state text NOT NULL)"
    };
    /** Contract, last step: nothing reads or writes the old table any more, so it can go (kept for a while). */
    public static final String RETIRE_OLD_TABLE = "ALTER TABLE orders RENAME TO orders_retired";

    /** The rule's value map, as SQL: what the backfill and the check compute from an old row. */
    private static final String ORDER_STATE =
            "CASE o.status WHEN 'A' THEN 'active' WHEN 'C' THEN 'cancelled' ELSE o.status END";

    /**
     * Rows that differ between the tables, in one statement so that both are read in one snapshot (every
     * application write changes both in one statement too): missing on either side, or not the mapping.
     */
    public static final String COUNT_DIFFERENCES = "SELECT count(*) FROM orders o"
            + " FULL JOIN billing.orders_v2 n ON n.id = o.id"
            + " WHERE o.id IS NULL OR n.id IS NULL OR n.user_id <> o.user_id OR n.order_state <> " + ORDER_STATE;

    private OrdersToBilling() {
    }

    /** The move's entry in a rule file; {@code reads} only in migrate. */
    public static String migration(String phase, String reads) {
        return "  - id: " + RULE_ID + "\n"
                + "    table: orders\n"
                + "    to_table: billing.orders_v2\n"
                + "    key: [id]\n"
                + "    phase: " + phase + "\n"
                + (reads == null ? "" : "    reads: " + reads + "\n")
                + "    columns:\n"
                + "      status:\n"
                + "        to: order_state\n"
                + "        values: { A: active, C: cancelled }\n";
    }
}
