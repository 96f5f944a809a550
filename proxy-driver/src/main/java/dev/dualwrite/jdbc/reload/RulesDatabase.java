package dev.dualwrite.jdbc.reload;

import java.sql.Connection;
import java.sql.SQLException;

/** How a table rule source reaches the database that holds the rules table. */
public interface RulesDatabase {
    /** A new connection of the source's own, never one the application uses. */
    Connection connect() throws SQLException;

    /**
     * True when the source may keep its connection open (and LISTEN on it); false for connections borrowed
     * from the application's pool, which go back after every check.
     */
    boolean dedicated();

    /** Which database this is, without secrets: it tells sources apart and appears in messages. */
    String describe();
}
