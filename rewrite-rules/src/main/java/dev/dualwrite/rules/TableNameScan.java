package dev.dualwrite.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides without parsing whether SQL text can name a migrated table: it looks for any identifier-like
 * token equal (ignoring case) to a migrated table's name. False positives only cost a parse; there are
 * no false negatives for names the parser itself could recognise, because every table reference is such
 * a token (quoted names included, since quotes are not identifier characters).
 */
final class TableNameScan {
    private final String[] names;      // lower case
    private final long lengthMask;     // bit n set when some name has length n (names up to 63 chars)
    private final boolean anyLong;

    private TableNameScan(String[] names) {
        this.names = names;
        long mask = 0;
        boolean longName = false;
        for (String n : names) {
            if (n.length() < 64) {
                mask |= 1L << n.length();
            } else {
                longName = true;
            }
        }
        this.lengthMask = mask;
        this.anyLong = longName;
    }

    static TableNameScan of(List<Migration> migrations) {
        List<String> names = new ArrayList<>();
        for (Migration m : migrations) {
            if (m.phase() == Phase.OFF) {
                continue;
            }
            String n = stripQuotes(m.table().name()).toLowerCase(Locale.ROOT);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return new TableNameScan(names.toArray(new String[0]));
    }

    static String stripQuotes(String ident) {
        if (ident.length() >= 2) {
            char c = ident.charAt(0);
            if ((c == '"' || c == '`') && ident.charAt(ident.length() - 1) == c) {
                return ident.substring(1, ident.length() - 1);
            }
        }
        return ident;
    }

    boolean mayMatch(String sql) {
        if (names.length == 0) {
            return false;
        }
        int n = sql.length();
        int i = 0;
        while (i < n) {
            while (i < n && !isIdentifierPart(sql.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && isIdentifierPart(sql.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len > 0 && ((len < 64 && (lengthMask & (1L << len)) != 0) || (len >= 64 && anyLong))) {
                for (String name : names) {
                    if (name.length() == len && sql.regionMatches(true, start, name, 0, len)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || (c > 127 && Character.isLetterOrDigit(c));
    }
}
