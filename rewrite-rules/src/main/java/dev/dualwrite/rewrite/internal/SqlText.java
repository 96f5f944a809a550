package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;

/**
 * A small lexer over SQL text that knows where literals, quoted identifiers and comments are, so that
 * JDBC placeholders can be found exactly as the drivers find them.
 */
public final class SqlText {
    private SqlText() {
    }

    /** Thrown when the text cannot be numbered safely (for example an unterminated literal). */
    public static final class Unnumberable extends Exception {
        private static final long serialVersionUID = 1L;

        Unnumberable(String message) {
            super(message, null, false, false);
        }
    }

    /** Replaces every JDBC placeholder {@code ?} with {@code ?1}, {@code ?2}, ... in order. */
    public static String numberPlaceholders(String sql, boolean mysql) throws Unnumberable {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = sql.length();
        int count = 0;
        int i = 0;
        while (i < n) {
            int skip = skipNonCode(sql, i, mysql);
            if (skip > i) {
                out.append(sql, i, skip);
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '?') {
                if (i + 1 < n && (sql.charAt(i + 1) == '?' || sql.charAt(i + 1) == '|' || sql.charAt(i + 1) == '&')) {
                    throw new Unnumberable("the '?' operators cannot be told from parameters");
                }
                out.append('?').append(++count);
            } else {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    /**
     * Finds the numbered placeholders {@code ?N} of deparsed SQL, returns their numbers in order in
     * {@code map} (grown as needed) and the SQL with plain {@code ?} placeholders.
     */
    public static String denumber(String sql, boolean mysql, IntList map) {
        StringBuilder out = new StringBuilder(sql.length());
        int n = sql.length();
        int i = 0;
        while (i < n) {
            int skip;
            try {
                skip = skipNonCode(sql, i, mysql);
            } catch (Unnumberable e) {
                skip = n;
            }
            if (skip > i) {
                out.append(sql, i, skip);
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '?' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                int v = 0;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    v = v * 10 + (sql.charAt(j) - '0');
                    j++;
                }
                map.add(v);
                out.append('?');
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** True when the statement text contains more than one statement (a ';' followed by more code). */
    public static boolean hasSeveralStatements(String sql, boolean mysql) {
        int n = sql.length();
        int i = 0;
        boolean sawSemicolon = false;
        while (i < n) {
            int skip;
            try {
                skip = skipNonCode(sql, i, mysql);
            } catch (Unnumberable e) {
                return false;
            }
            if (skip > i) {
                boolean comment = sql.startsWith("--", i) || sql.startsWith("/*", i) || sql.charAt(i) == '#';
                if (sawSemicolon && !comment) {
                    return true;
                }
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (c == ';') {
                sawSemicolon = true;
            } else if (sawSemicolon && !Character.isWhitespace(c)) {
                return true;
            }
            i++;
        }
        return false;
    }

    /**
     * Splits a script at its top-level semicolons. The pieces keep every character (the semicolons are
     * the separators between them), so joining them with ";" gives back the exact text.
     */
    public static java.util.List<String> splitStatements(String sql, boolean mysql) throws Unnumberable {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int end = semicolon(sql, 0, mysql); end < sql.length(); end = semicolon(sql, start, mysql)) {
            out.add(sql.substring(start, end));
            start = end + 1;
        }
        out.add(sql.substring(start));
        return out;
    }

    /** The first top-level semicolon at or after {@code from} (not in a literal or comment), or the length. */
    private static int semicolon(String sql, int from, boolean mysql) throws Unnumberable {
        int i = from;
        while (i < sql.length()) {
            int skip = skipNonCode(sql, i, mysql);
            if (skip > i) {
                i = skip;
            } else if (sql.charAt(i) == ';') {
                return i;
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /**
     * Translates the JDBC escapes the parser does not know, as the real drivers would: {@code {oj ...}}
     * (outer join) becomes its contents and {@code {escape 'c'}} becomes {@code ESCAPE 'c'}. Function
     * ({@code {fn ...}}) and date/time escapes are left to the parser, which keeps them.
     */
    public static String jdbcEscapes(String sql, boolean mysql) throws Unnumberable {
        if (sql.indexOf('{') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        java.util.ArrayDeque<Boolean> braces = new java.util.ArrayDeque<>(); // true: drop the closing brace
        int i = 0;
        while (i < sql.length()) {
            int skip = skipNonCode(sql, i, mysql);
            if (skip > i) {
                out.append(sql, i, skip);
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '{') {
                int k = i + 1;
                while (k < sql.length() && Character.isWhitespace(sql.charAt(k))) {
                    k++;
                }
                if (keywordAt(sql, k, "oj")) {
                    braces.push(true);
                    i = k + 2;
                    continue;
                }
                if (keywordAt(sql, k, "escape")) {
                    braces.push(true);
                    out.append("ESCAPE");
                    i = k + 6;
                    continue;
                }
                braces.push(false);
            } else if (c == '}' && !braces.isEmpty() && braces.pop()) {
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean keywordAt(String s, int i, String word) {
        return s.regionMatches(true, i, word, 0, word.length())
                && (i + word.length() >= s.length() || !Character.isLetterOrDigit(s.charAt(i + word.length())));
    }

    /** If position i starts a comment, the index just past it; otherwise i. */
    public static int skipComment(String s, int i, boolean mysql) throws Unnumberable {
        char c = s.charAt(i);
        return c == '-' || c == '/' || c == '#' ? skipNonCode(s, i, mysql) : i;
    }

    /**
     * MySQL syntax the parser reads differently from the server, so no rewrite of it can be certain:
     * executable comments ({@code /*! ... *}{@code /}, which MySQL runs) and {@code --} not followed by
     * whitespace (an operator pair to MySQL, a comment to the parser), and {@code $$} (a name to MySQL, a
     * quote to the parser). Returns the reason, or null.
     */
    public static String mysqlHazard(String sql) throws Unnumberable {
        int i = 0;
        while (i < sql.length()) {
            if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                int end = sql.indexOf("*/", i);
                String body = end < 0 ? "" : sql.substring(i + (sql.charAt(i + 2) == 'M' ? 4 : 3), end);
                if (end < 0 || !body.matches("[0-9]*[A-Za-z_ \t\r\n]*")) {
                    // Keywords only (/*! STRAIGHT_JOIN */, /*!40001 SQL_NO_CACHE */) cannot touch data.
                    return "it contains a MySQL executable comment (/*! ... */) with more than keywords, which the"
                            + " server runs but the rewriter cannot see";
                }
                i = end + 2;
                continue;
            }
            if (sql.startsWith("--", i) && i + 2 < sql.length() && !Character.isWhitespace(sql.charAt(i + 2))) {
                return "it contains '--' without a following space, which MySQL reads as two minus signs; add a space"
                        + " or parentheses";
            }
            if (sql.startsWith("$$", i)) {
                return "it contains '$$', which the parser reads as a PostgreSQL dollar quote running to the end of the"
                        + " statement (MySQL allows $ in names); quote such a name with backticks";
            }
            int skip = skipNonCode(sql, i, true);
            if (skip > i && sql.startsWith("/*", i) && sql.substring(i + 2, skip - 2).contains("/*")) {
                return "it contains '/*' inside a comment: MySQL ends the comment at the first '*/' but the parser"
                        + " nests comments and would skip what follows; remove the inner '/*'";
            }
            i = skip > i ? skip : i + 1;
        }
        return null;
    }

    /** The length of the whitespace and comments a statement starts with. */
    public static int leadingTrivia(String sql, boolean mysql) throws Unnumberable {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i) || (mysql && c == '#')) {
                if (sql.startsWith("/*+", i)) {
                    break; // an optimizer hint belongs to the statement, which keeps it
                }
                i = skipNonCode(sql, i, mysql);
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * Where the text after the statement starts: its first top-level semicolon, or the length when it has
     * none. Called on a single statement, so only comments and white space (and more semicolons) follow;
     * the rewrite keeps them, because the drivers run a comment after a semicolon as a statement of its own
     * and the application may count its results.
     */
    public static int trailingText(String sql, boolean mysql) throws Unnumberable {
        return semicolon(sql, 0, mysql);
    }

    /** If position i starts a literal, quoted identifier or comment, returns the index just past it. */
    static int skipNonCode(String s, int i, boolean mysql) throws Unnumberable {
        int n = s.length();
        char c = s.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            boolean backslash = mysql && c != '`';
            if (!mysql && c == '\'' && i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)))) {
                backslash = true;
            }
            int j = i + 1;
            while (j < n) {
                char d = s.charAt(j);
                if (backslash && d == '\\') {
                    j += 2;
                    continue;
                }
                if (d == c) {
                    if (j + 1 < n && s.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            throw new Unnumberable("unterminated quote");
        }
        if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-'
                && (!mysql || i + 2 >= n || Character.isWhitespace(s.charAt(i + 2)))) {
            // (MySQL needs whitespace after --: "score--1" is score minus minus one)
            int j = s.indexOf('\n', i);
            return j < 0 ? n : j + 1;
        }
        if (mysql && c == '#') {
            int j = s.indexOf('\n', i);
            return j < 0 ? n : j + 1;
        }
        if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int depth = 1;
            int j = i + 2;
            while (j < n && depth > 0) {
                if (!mysql && s.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (s.startsWith("*/", j)) {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            if (depth > 0) {
                throw new Unnumberable("unterminated comment");
            }
            return j;
        }
        if (!mysql && c == '$' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
            int j = i + 1;
            while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            if (j < n && s.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(s.charAt(i + 1)))) {
                String tag = s.substring(i, j + 1);
                int end = s.indexOf(tag, j + 1);
                if (end < 0) {
                    throw new Unnumberable("unterminated dollar quote");
                }
                return end + tag.length();
            }
        }
        return i;
    }

    /** Dialect helper for callers outside this package. */
    public static boolean isMysql(Dialect d) {
        return d == Dialect.MYSQL;
    }
}
