package dev.dualwrite.jdbc.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Databases.class)
class DatabasesTest {

    @BothEngines
    void freshSchemasAreIsolated(Engine engine) throws Exception {
        TestDatabase a = Databases.fresh(engine);
        TestDatabase b = Databases.fresh(engine);
        assertEquals(engine, a.engine());
        assertNotEquals(a.schema(), b.schema());
        assertTrue(a.schema().matches("t_[0-9]+_[a-z0-9]{6}"), a.schema());
        assertEquals(a.schema().toLowerCase(), a.schema());

        a.exec("create table only_in_a (id int primary key, name varchar(20))",
                "insert into only_in_a values (1, 'one'), (2, 'two')");
        b.exec("create table only_in_b (id int primary key)", "insert into only_in_b values (42)");

        assertEquals(List.of(List.of(1, "one"), List.of(2, "two")),
                a.query("select id, name from only_in_a order by id"));
        assertEquals(List.of(List.of(42)), b.query("select id from only_in_b"));

        // isolation: an unqualified name in one schema is not visible from the other
        assertThrows(SQLException.class, () -> b.query("select * from only_in_a"));
        assertThrows(SQLException.class, () -> a.query("select * from only_in_b"));

        // the same table name can exist in both
        a.exec("create table same (v varchar(10))", "insert into same values ('a')");
        b.exec("create table same (v varchar(10))", "insert into same values ('b')");
        assertEquals(List.of(List.of("a")), a.query("select v from same"));
        assertEquals(List.of(List.of("b")), b.query("select v from same"));

        // the raw URL lands in the test's own schema/database
        try (Connection c = a.rawConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(engine == Engine.POSTGRESQL
                        ? "select current_schema()" : "select database()")) {
            assertTrue(rs.next());
            assertEquals(a.schema(), rs.getString(1));
        }
        assertTrue(a.rawUrl().startsWith(engine == Engine.POSTGRESQL ? "jdbc:postgresql://" : "jdbc:mysql://"),
                a.rawUrl());
    }

    @BothEngines
    void transactionsAndTimezone(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("create table t (id int primary key)");
        try (Connection c = db.rawConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into t values (1)");
                c.rollback();
                st.executeUpdate("insert into t values (2)");
                c.commit();
            }
        }
        assertEquals(List.of(List.of(2)), db.query("select id from t"));
        if (engine == Engine.MYSQL) {
            // server default; PostgreSQL sessions instead take the JVM's zone (pgjdbc sends it)
            assertEquals("+00:00", db.query("select @@global.time_zone").get(0).get(0));
        }
    }

    @Test
    void resolvesParameters(TestDatabase pg, @Databases.On(Engine.MYSQL) TestDatabase my) throws Exception {
        assertEquals(Engine.POSTGRESQL, pg.engine());
        assertEquals(Engine.MYSQL, my.engine());
        pg.exec("create table x (id int)");
        my.exec("create table x (id int)");
    }

    @Test
    void concurrentFreshCallsGiveDistinctSchemas() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TestDatabase>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Engine e = Engine.values()[i % 2];
                fs.add(pool.submit(() -> Databases.fresh(e)));
            }
            Set<String> names = ConcurrentHashMap.newKeySet();
            for (Future<TestDatabase> f : fs) {
                assertTrue(names.add(f.get().schema()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void versions() throws Exception {
        for (Engine e : Engine.values()) {
            TestDatabase db = Databases.fresh(e);
            System.err.println("[testdb] " + e + " version: " + db.query("select version()").get(0).get(0)
                    + " url: " + db.rawUrl());
        }
    }

    @BothEngines
    void driverBasics(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec(engine == Engine.POSTGRESQL
                ? "create table k (id serial primary key, ts timestamp, s varchar(10))"
                : "create table k (id int auto_increment primary key, ts datetime(6), s varchar(10))");
        java.time.LocalDateTime now = java.time.LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123456000);
        try (Connection c = db.rawConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "insert into k (ts, s) values (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < 3; i++) {
                ps.setObject(1, now);
                ps.setString(2, "r" + i);
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(1, keys.getLong(1));
            }
            assertEquals(db.schema(), engine == Engine.POSTGRESQL ? c.getSchema() : c.getCatalog());
            try (ResultSet cols = c.getMetaData().getColumns(
                    engine == Engine.MYSQL ? db.schema() : null,
                    engine == Engine.POSTGRESQL ? db.schema() : null, "k", "%")) {
                List<String> names = new ArrayList<>();
                while (cols.next()) {
                    names.add(cols.getString("COLUMN_NAME"));
                }
                assertEquals(List.of("id", "ts", "s"), names);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select ts from k where id = 2")) {
                assertTrue(rs.next());
                assertEquals(now, rs.getObject(1, java.time.LocalDateTime.class));
            }
        }
    }
}
