package dev.dualwrite.jdbc.reliability;

import dev.dualwrite.jdbc.testdb.Engine;
import java.util.Random;

/**
 * Random statements on the migrated tables of {@link MigratedTables}, from a seed: SELECT, UPDATE, DELETE
 * and INSERT with quoted, upper-case, aliased and unicode names, comments and hints in odd places, string
 * literals full of quotes and SQL, long IN lists, deep parentheses, and now and then plain token soup.
 */
public final class HostileSql {
    private static final String[] COMMENTS = {"", " ", "/* c */", "-- line\n", "/*+ hint */", "/* ; DROP TABLE users */",
        "/* nested /* no */", "\n"};
    private static final String[] LITERALS = {"'a'", "'it''s'", "'; DELETE FROM users; --'", "'ümlaut 用户'", "''",
        "'/*'", "'--'", "'\\'", "NULL", "1", "-1", "2147483647", "1e3", "'A'", "'C'"};
    private static final String[] SOUP = {"SELECT", "FROM", "users", "orders", "WHERE", "(", ")", ",", "=", "?", "'x'",
        ";", "--", "/*", "*/", "user_name", "amount", "JOIN", "ON", "SET", "UPDATE", "INTO", "VALUES", "\"users\"",
        "`orders`", "1", "*", "AND", "OR", "NOT", "IN", "EXISTS", "RETURNING", "ñ", "$$", "#"};

    private final Random r;
    private final Engine engine;

    public HostileSql(long seed, Engine engine) {
        this.r = new Random(seed);
        this.engine = engine;
    }

    public String next() {
        switch (r.nextInt(9)) {
            case 0:
            case 1:
                return c() + "SELECT " + c() + cols() + " FROM " + table() + c() + " WHERE " + predicate(0) + order();
            case 2:
            case 3:
                return c() + "UPDATE " + table() + " SET " + assignment() + " WHERE " + predicate(0);
            case 4:
                return "DELETE " + c() + "FROM " + table() + " WHERE " + predicate(0);
            case 5:
                return users() ? "INSERT INTO " + name("users") + " (id, " + col("user_name") + ", score) VALUES (" + key()
                        + ", " + literal() + ", " + r.nextInt(100) + ")" + c()
                        : "INSERT INTO " + name("orders") + " (id, user_id, " + col("amount") + ", status) VALUES ("
                        + key() + ", 1, " + r.nextInt(100) + ", " + literal() + ")" + c();
            case 6:
                return "SELECT * FROM " + table() + " WHERE id IN (SELECT id FROM " + name("users") + " WHERE "
                        + predicate(0) + ")";
            case 7:
                return "SELECT " + cols() + " FROM " + table() + " WHERE id IN (" + list(1 + r.nextInt(2000)) + ")";
            default:
                StringBuilder sb = new StringBuilder(r.nextBoolean() ? "SELECT user_name FROM users " : "UPDATE orders ");
                for (int i = r.nextInt(25); i >= 0; i--) {
                    sb.append(SOUP[r.nextInt(SOUP.length)]).append(' ');
                }
                return sb.toString();
        }
    }

    private boolean users;

    private boolean users() {
        users = r.nextBoolean();
        return users;
    }

    private String table() {
        users();
        String t = name(users ? "users" : "orders");
        switch (r.nextInt(4)) {
            case 0: return t + " t";
            case 1: return t + " AS " + quote("ñ");
            case 2: return t + " 用户";
            default: return t;
        }
    }

    private String name(String table) {
        switch (r.nextInt(4)) {
            case 0: return quote(table);
            case 1: return table.toUpperCase();
            default: return table;
        }
    }

    private String quote(String id) {
        return engine == Engine.POSTGRESQL ? "\"" + id + "\"" : "`" + id + "`";
    }

    private String col(String c) {
        return r.nextInt(4) == 0 ? quote(c) : r.nextInt(3) == 0 ? c.toUpperCase() : c;
    }

    private String cols() {
        if (r.nextInt(4) == 0) {
            return "*";
        }
        return users ? "id, " + col("user_name") + ", " + col("score") + " AS " + quote("Ünï")
                : "id, " + col("user_id") + ", " + col("amount") + ", " + col("status");
    }

    private String assignment() {
        return users ? col("user_name") + " = " + literal() + ", " + col("score") + " = " + col("score") + " + 1"
                : col("amount") + " = " + col("amount") + " * 2, " + col("status") + " = " + literal();
    }

    private String predicate(int depth) {
        if (depth < 300 && r.nextInt(6) == 0) {
            int open = 1 + r.nextInt(r.nextInt(10) == 0 ? 250 : 5);
            return "(".repeat(open) + predicate(depth + open) + ")".repeat(open);
        }
        switch (r.nextInt(6)) {
            case 0: return "id = " + r.nextInt(40) + c();
            case 1: return "id IN (" + list(1 + r.nextInt(50)) + ")";
            case 2: return (users ? col("user_name") : col("status")) + " = " + literal();
            case 3: return predicate(depth + 1) + " AND " + c() + predicate(depth + 1);
            case 4: return "NOT (" + predicate(depth + 1) + ")";
            default: return "id BETWEEN " + r.nextInt(10) + " AND " + r.nextInt(40);
        }
    }

    private String order() {
        return r.nextBoolean() ? "" : " ORDER BY " + (users ? col("user_name") : col("amount")) + c();
    }

    private String literal() {
        return LITERALS[r.nextInt(LITERALS.length)];
    }

    private String list(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(r.nextInt(60));
        }
        return sb.toString();
    }

    private int key() {
        return 100 + r.nextInt(100_000);
    }

    private String c() {
        String comment = COMMENTS[r.nextInt(COMMENTS.length)];
        return engine == Engine.MYSQL && comment.startsWith("--") ? "-- " + comment.substring(2) : comment;
    }
}
