package dev.dualwrite.ops.cli;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A key as text, {@code ["42","ab\"c"]}: each value's string form in a JSON array, read back by the key
 * column's JDBC type. Keys are never NULL.
 */
final class KeyText {
    private KeyText() {
    }

    static String encode(Object[] key) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < key.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            String s = String.valueOf(key[i]);
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    static String[] decode(String text) {
        List<String> out = new ArrayList<>();
        String s = text.trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw bad(text);
        }
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            if (s.charAt(i) != '"') {
                throw bad(text);
            }
            StringBuilder value = new StringBuilder();
            i++;
            while (i < end && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < end) {
                    char n = s.charAt(++i);
                    if (n == 'u' && i + 4 < end) {
                        value.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        value.append(n);
                    }
                } else {
                    value.append(c);
                }
                i++;
            }
            if (i >= end) {
                throw bad(text);
            }
            out.add(value.toString());
            i++;
            if (i < end && s.charAt(i++) != ',') {
                throw bad(text);
            }
        }
        return out.toArray(new String[0]);
    }

    /** The value as Java would read it from a column of this JDBC type, so it binds as that type. */
    static Object typed(String value, int jdbcType) {
        switch (jdbcType) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
                return Long.valueOf(value);
            case Types.NUMERIC:
            case Types.DECIMAL:
                return new BigDecimal(value);
            case Types.DATE:
                return Date.valueOf(value);
            case Types.TIME:
                return Time.valueOf(value);
            case Types.TIMESTAMP:
                return Timestamp.valueOf(value);
            case Types.OTHER:
                // PostgreSQL's uuid: bound as text it would not compare with the column
                try {
                    return java.util.UUID.fromString(value);
                } catch (IllegalArgumentException notAUuid) {
                    return value;
                }
            default:
                return value;
        }
    }

    private static CliFailure bad(String text) {
        return CliFailure.badInput("the stored key " + text + " in " + ProgressTable.NAME + " is not a key this"
                + " command wrote; delete the migration's row there to start over");
    }
}
