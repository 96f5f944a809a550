package dev.dualwrite.jdbc;

import java.sql.DriverPropertyInfo;
import java.util.Properties;

/**
 * Every {@code dualwrite.*} connection property: name, default and description. Feeds
 * {@link DualWriteDriver#getPropertyInfo} and the README's table.
 */
public enum DriverProperty {
    RULES("dualwrite.rules", null,
            "Rule file: a path or classpath:name, or table:<schema.table> for rules kept in a database table (see"
                    + " dualwrite.rules.url). Falls back to the system property dualwrite.rules, then the environment"
                    + " variable DUALWRITE_RULES; none means a pass-through driver."),
    RULES_URL("dualwrite.rules.url", null,
            "With dualwrite.rules=table:...: the JDBC URL of the database that holds the rules table, its user and"
                    + " password in the URL (else the application's are used). Default: the database the application"
                    + " connects to."),
    DIALECT("dualwrite.dialect", null,
            "postgresql or mysql. Default: taken from the wrapped URL (jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:)."),
    RELOAD_INTERVAL_MILLIS("dualwrite.reloadIntervalMillis", "250",
            "How often the rule file or rules table is checked for changes, in milliseconds, besides file-system"
                    + " events and PostgreSQL notifications."),
    CACHE_MAX_CHARS("dualwrite.cacheMaxChars", "4000000",
            "Bound of the rewrite cache, as the total length of the SQL it holds.");

    /** Prefix of every property this driver reads and removes before the real driver sees them. */
    public static final String PREFIX = "dualwrite.";

    private final String key;
    private final String defaultValue;
    private final String description;

    DriverProperty(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The value in {@code props}, else the default (may be null). */
    public String get(Properties props) {
        String v = props.getProperty(key);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    /** A positive integer value, with an error that names the property when it is not one. */
    public long getLong(Properties props) throws java.sql.SQLException {
        String v = get(props);
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new java.sql.SQLException(key + "=" + v + " is not a positive whole number", "08001");
    }

    DriverPropertyInfo info(Properties props) {
        DriverPropertyInfo info = new DriverPropertyInfo(key, get(props));
        info.description = description + (defaultValue == null ? "" : " Default: " + defaultValue + ".");
        info.required = false;
        if (this == DIALECT) {
            info.choices = new String[] {"postgresql", "mysql"};
        }
        return info;
    }

    /** The property for a key, or null when {@code key} is not one of ours. */
    public static DriverProperty of(String key) {
        for (DriverProperty p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }
}
