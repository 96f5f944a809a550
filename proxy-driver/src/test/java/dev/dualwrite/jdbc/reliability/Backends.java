package dev.dualwrite.jdbc.reliability;

import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Server-side handles on connections: their backend id, killing them, seeing them wait for a lock. */
final class Backends {
    private Backends() {
    }

    /** The server's id of this connection (asked through it, so through the driver when it is proxied). */
    static long id(Connection c, Engine engine) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(engine == Engine.POSTGRESQL ? "SELECT pg_backend_pid()"
                        : "SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Kills a backend from a raw connection: {@code pg_terminate_backend} or {@code KILL}. */
    static void kill(TestDatabase db, long id) throws SQLException {
        db.exec(db.engine() == Engine.POSTGRESQL ? "SELECT pg_terminate_backend(" + id + ")" : "KILL " + id);
    }

    /** True while the backend waits for a row lock another connection holds (on MariaDB: runs a statement on orders_v2). */
    static boolean waitsForLock(TestDatabase db, long id) throws SQLException {
        String sql = db.engine() == Engine.POSTGRESQL
                ? "SELECT count(*) FROM pg_locks WHERE pid = " + id + " AND NOT granted"
                // MariaDB: the connection is running a statement on the new table (its script's mirror step)
                : "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + id
                        + " AND COMMAND = 'Query' AND INFO LIKE '%orders_v2%'";
        return ((Number) db.query(sql).get(0).get(0)).longValue() > 0;
    }

    /** Locks one orders_v2 row on a raw connection in an open transaction, so a mirror write to it waits. */
    static Connection lockNewRow(TestDatabase db, int id) throws SQLException {
        Connection c = db.rawConnection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT * FROM orders_v2 WHERE id = " + id + " FOR UPDATE").close();
        }
        return c;
    }
}
