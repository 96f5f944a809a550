package dev.dualwrite.rewrite;

import java.util.Locale;

/** The SQL dialect of the wrapped database: identifier case rules, quoting and string syntax. */
public enum Dialect {
    POSTGRESQL('"'),
    /** MySQL and MariaDB. */
    MYSQL('`');

    private final char quote;

    Dialect(char quote) {
        this.quote = quote;
    }

    /** The dialect of a real JDBC URL ({@code jdbc:postgresql:...}), or null when unknown. */
    public static Dialect ofJdbcUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:pgsql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        return null;
    }

    /** Parses {@code postgresql} or {@code mysql} (as given to {@code --dialect} or {@code dualwrite.dialect}). */
    public static Dialect of(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "postgresql":
            case "postgres":
                return POSTGRESQL;
            case "mysql":
            case "mariadb":
                return MYSQL;
            default:
                throw new IllegalArgumentException("unknown dialect '" + name + "'; use postgresql or mysql");
        }
    }

    /**
     * The form under which the database compares an identifier as written in SQL or in a rule file.
     * PostgreSQL folds unquoted names to lower case and keeps quoted names; MySQL compares column names
     * without regard to case, and table names too where lower_case_table_names is set; see {@link #spelling}.
     */
    public String canonical(String ident) {
        if (ident == null) {
            return null;
        }
        int n = ident.length();
        if (n >= 2) {
            char c = ident.charAt(0);
            if ((c == '"' || c == '`') && ident.charAt(n - 1) == c) {
                String inner = ident.substring(1, n - 1).replace("" + c + c, "" + c);
                return this == POSTGRESQL ? inner : inner.toLowerCase(Locale.ROOT);
            }
        }
        return ident.toLowerCase(Locale.ROOT);
    }

    /**
     * An identifier with its quotes removed and its case kept. MySQL on Linux (lower_case_table_names=0)
     * compares table and schema names by this spelling, so {@code ORDERS} and {@code orders} may be two tables.
     */
    public String spelling(String ident) {
        int n = ident.length();
        if (n >= 2) {
            char c = ident.charAt(0);
            if ((c == '"' || c == '`') && ident.charAt(n - 1) == c) {
                return ident.substring(1, n - 1).replace("" + c + c, "" + c);
            }
        }
        return ident;
    }

    /**
     * The canonical form of a name as the database reports it (metadata, {@code RETURNING *}): taken
     * literally on PostgreSQL, without regard to case on MySQL, so it compares with {@link #canonical}.
     */
    public String reported(String name) {
        return this == MYSQL ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** Quotes a name exactly as the database reports it, so it is taken literally. */
    public String quote(String name) {
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    /** True when a backslash escapes a character inside string literals (MySQL's default). */
    boolean backslashEscapes() {
        return this == MYSQL;
    }
}
