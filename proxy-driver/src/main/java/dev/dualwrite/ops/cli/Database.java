package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.QualifiedName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection to the real database (never through the dualwrite driver: the commands look at the
 * schema and data as they are; read-only except for backfill), with its dialect and the SQL spelling of
 * the rule file's names.
 */
final class Database implements AutoCloseable {
    private static final String DUALWRITE_PREFIX = "jdbc:dualwrite:";
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)[?&;][a-z.]*(?:password|passwd|pwd|secret|token)=([^&;]*)");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//[^/@:?]*:([^/@?]*)@");

    private final Connection connection;
    private final Dialect dialect;
    private final String currentSchema;

    private Database(Connection connection, Dialect dialect, String currentSchema) {
        this.connection = connection;
        this.dialect = dialect;
        this.currentSchema = currentSchema;
    }

    static Database open(String url, String user, String password) {
        return open(url, user, password, true);
    }

    /** Like {@link #open(String, String, String)}, writable when {@code readOnly} is false (backfill). */
    static Database open(String url, String user, String password, boolean readOnly) {
        String real = realUrl(url);
        Dialect dialect = Dialect.ofJdbcUrl(real);
        if (dialect == null) {
            throw CliFailure.badInput("--url must be a PostgreSQL or MySQL/MariaDB JDBC URL (jdbc:postgresql:...,"
                    + " jdbc:mysql:..., jdbc:mariadb:..., or the application's jdbc:dualwrite:... URL)");
        }
        List<String> secrets = secrets(real, password);
        try {
            DriverManager.getDriver(real);
        } catch (SQLException e) {
            throw CliFailure.badInput("no JDBC driver for " + real.substring(0, real.indexOf(':', 5) + 1)
                    + " URLs on the class path; the -all jar does not contain one. Run: java -cp"
                    + " proxy-driver-<version>-all.jar:<your driver>.jar dev.dualwrite.ops.cli.DualWriteCli ...");
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(real, props);
            c.setReadOnly(readOnly);
            String schema = dialect == Dialect.MYSQL ? c.getCatalog() : c.getSchema();
            if (schema == null) {
                throw CliFailure.badInput("the connection has no current "
                        + (dialect == Dialect.MYSQL ? "database; name it in --url (jdbc:mysql://host:3306/app)"
                                : "schema; set currentSchema in --url"));
            }
            return new Database(c, dialect, schema);
        } catch (SQLException e) {
            closeQuietly(c);
            throw CliFailure.badInput("cannot connect to the database: " + hide(String.valueOf(e.getMessage()), secrets)
                    + "; check --url, --user and --password (or DUALWRITE_PASSWORD)");
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The real driver's URL: the application's {@code jdbc:dualwrite:} URL works as it is, without the
     * {@code dualwrite.*} properties that only the dualwrite driver understands.
     */
    static String realUrl(String url) {
        if (!url.regionMatches(true, 0, DUALWRITE_PREFIX, 0, DUALWRITE_PREFIX.length())) {
            return url;
        }
        String rest = "jdbc:" + url.substring(DUALWRITE_PREFIX.length());
        int q = rest.indexOf('?');
        if (q < 0) {
            return rest;
        }
        StringBuilder kept = new StringBuilder(rest.substring(0, q));
        char sep = '?';
        for (String pair : rest.substring(q + 1).split("&")) {
            if (!pair.isEmpty() && !pair.toLowerCase(Locale.ROOT).startsWith("dualwrite.")) {
                kept.append(sep).append(pair);
                sep = '&';
            }
        }
        return kept.toString();
    }

    /** Every secret the operator gave, so that no message can repeat one, whatever the driver put in it. */
    private static List<String> secrets(String url, String password) {
        List<String> out = new ArrayList<>();
        if (password != null && !password.isEmpty()) {
            out.add(password);
        }
        for (Pattern p : new Pattern[] {SECRET_PARAM, USER_INFO_PASSWORD}) {
            Matcher m = p.matcher(url);
            while (m.find()) {
                if (!m.group(1).isEmpty()) {
                    out.add(m.group(1));
                    out.add(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    static String hide(String message, List<String> secrets) {
        String s = message;
        for (String secret : secrets) {
            s = s.replace(secret, "***");
        }
        return s;
    }

    Connection connection() {
        return connection;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The current schema (PostgreSQL) or database (MySQL), where unqualified table names are looked up. */
    String currentSchema() {
        return currentSchema;
    }

    /** What the commands checked against, for their summaries: never the URL, which may hold a password. */
    String describe() {
        return (dialect == Dialect.MYSQL ? "database " : "schema ") + currentSchema;
    }

    /**
     * A name from the rule file spelled for this database: as written, except that a quoted name takes
     * the dialect's own quotes (a double-quoted name is a string on MySQL).
     */
    String ident(String written) {
        int n = written.length();
        if (n >= 2 && (written.charAt(0) == '"' || written.charAt(0) == '`') && written.charAt(n - 1) == written.charAt(0)) {
            char q = written.charAt(0);
            return dialect.quote(written.substring(1, n - 1).replace("" + q + q, "" + q));
        }
        return written;
    }

    String table(QualifiedName name) {
        return name.schema() == null ? ident(name.name()) : ident(name.schema()) + "." + ident(name.name());
    }

    /** True when the two values differ, NULLs included. */
    String distinct(String a, String b) {
        return dialect == Dialect.POSTGRESQL ? a + " IS DISTINCT FROM " + b : "NOT (" + a + " <=> " + b + ")";
    }

    SchemaView schema() {
        return new SchemaView(this);
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing was written; a failing close loses nothing
            }
        }
    }
}
