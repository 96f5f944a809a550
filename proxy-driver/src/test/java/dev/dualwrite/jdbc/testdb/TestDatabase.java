package dev.dualwrite.jdbc.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One test's private schema (PostgreSQL) or database (MySQL/MariaDB) on the engine's shared,
 * per-JVM server. Obtain one with {@link Databases#fresh(Engine)} or by declaring a {@code
 * TestDatabase} parameter in a test using {@code @ExtendWith(Databases.class)}.
 *
 * <p>{@link #rawUrl()} is a plain {@code jdbc:postgresql:} / {@code jdbc:mysql:} URL whose
 * unqualified table names resolve to {@link #schema()}.
 */
public final class TestDatabase {
    private final Engine engine;
    private final String schema;
    private final String rawUrl;
    private final String user;
    private final String password;

    TestDatabase(Engine engine, String schema, String rawUrl, String user, String password) {
        this.engine = Objects.requireNonNull(engine);
        this.schema = Objects.requireNonNull(schema);
        this.rawUrl = Objects.requireNonNull(rawUrl);
        this.user = Objects.requireNonNull(user);
        this.password = Objects.requireNonNull(password);
    }

    public Engine engine() {
        return engine;
    }

    /** The schema (PostgreSQL) or database (MySQL) name; lowercase, e.g. {@code t_12_k3x9qa}. */
    public String schema() {
        return schema;
    }

    /**
     * Plain JDBC URL pointing at this test's schema/database, e.g. {@code
     * jdbc:postgresql://localhost:5432/postgres?currentSchema=t_1_abcdef} or {@code
     * jdbc:mysql://127.0.0.1:3306/t_2_abcdef?sslMode=DISABLED&allowPublicKeyRetrieval=true}. More
     * parameters can be appended with {@code "&name=value"}.
     */
    public String rawUrl() {
        return rawUrl;
    }

    public String user() {
        return user;
    }

    /** The password; empty (the embedded servers do not check passwords). */
    public String password() {
        return password;
    }

    /** A new plain (non-proxied) connection to {@link #rawUrl()}, in auto-commit mode. */
    public Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(rawUrl, user, password);
    }

    /** Runs each statement in order on one new raw auto-commit connection. */
    public void exec(String... sql) throws SQLException {
        try (Connection c = rawConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                try {
                    st.execute(s);
                } catch (SQLException e) {
                    throw new SQLException(
                            e.getMessage() + " [" + engine + " " + schema + "] in: " + s,
                            e.getSQLState(),
                            e.getErrorCode(),
                            e);
                }
            }
        }
    }

    /**
     * Runs a query on a new raw connection and returns all rows, each as a list of column values
     * ({@link ResultSet#getObject(int)}).
     */
    public List<List<Object>> query(String sql) throws SQLException {
        try (Connection c = rawConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + engine + " " + schema + " " + rawUrl + "]";
    }
}
