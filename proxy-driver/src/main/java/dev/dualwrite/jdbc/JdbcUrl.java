package dev.dualwrite.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:dualwrite:} URL taken apart: the real driver's URL (without our properties) and the
 * {@code dualwrite.*} properties from its query string.
 */
final class JdbcUrl {
    static final String PREFIX = "jdbc:dualwrite:";

    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|secret|token|sslpassword|sslkey|trustCertificateKeyStorePassword"
                    + "|clientCertificateKeyStorePassword|[a-z.]*password)=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?]*:)[^/@?]*@");

    final String appUrl;
    final String realUrl;
    final Properties dualwrite;

    private JdbcUrl(String appUrl, String realUrl, Properties dualwrite) {
        this.appUrl = appUrl;
        this.realUrl = realUrl;
        this.dualwrite = dualwrite;
    }

    static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    static JdbcUrl parse(String url) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a dualwrite URL: " + scrub(url) + "; it must start with " + PREFIX, "08001");
        }
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty() || rest.regionMatches(true, 0, "dualwrite:", 0, 10)) {
            throw new SQLException("the dualwrite URL " + scrub(url) + " must name the real driver's URL after "
                    + PREFIX + ", e.g. jdbc:dualwrite:postgresql://host/db", "08001");
        }
        Properties ours = new Properties();
        int q = rest.indexOf('?');
        if (q < 0) {
            return new JdbcUrl(url, "jdbc:" + rest, ours);
        }
        StringBuilder kept = new StringBuilder(rest.substring(0, q));
        char sep = '?';
        for (String pair : rest.substring(q + 1).split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.toLowerCase(Locale.ROOT).startsWith(DriverProperty.PREFIX)) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (DriverProperty.of(key) == null) {
                    throw new SQLException("unknown property " + key + " in the dualwrite URL; known: "
                            + known(), "08001");
                }
                ours.setProperty(key, value);
            } else if (!pair.isEmpty()) {
                kept.append(sep).append(pair);
                sep = '&';
            }
        }
        return new JdbcUrl(url, "jdbc:" + kept, ours);
    }

    static String known() {
        StringBuilder sb = new StringBuilder();
        for (DriverProperty p : DriverProperty.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.key());
        }
        return sb.toString();
    }

    /** The URL with passwords and other secrets removed, for logs, errors and getURL(). */
    static String scrub(String url) {
        if (url == null) {
            return null;
        }
        String s = SECRET_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(s).replaceAll("$1***@");
    }
}
