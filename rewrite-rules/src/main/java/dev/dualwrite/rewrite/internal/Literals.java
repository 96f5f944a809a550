package dev.dualwrite.rewrite.internal;

import java.util.Arrays;

/**
 * The literals of a statement lifted out as placeholders, so that statements differing only in their
 * literals ({@code WHERE id = 17}, {@code WHERE id = 18}) share one cached rewrite, whose placeholders are
 * filled with each statement's own literal text.
 *
 * <p>Only literals in value positions are lifted, where a parameter means exactly what the literal means:
 * right after a comparison operator or {@code LIKE}, or as an item of a {@code VALUES} row or an
 * {@code IN} list. Never in ORDER BY, GROUP BY, LIMIT, OFFSET or FETCH (an ordinal is not a value), and
 * never a typed or prefixed literal ({@code DATE '...'}, {@code E'...'}, {@code -1}), since the token
 * before such a literal is not one of those positions.
 */
public final class Literals {
    private static final String[] CLAUSES_WITHOUT_VALUES = {"order", "group", "limit", "offset", "fetch", "top"};
    /** What the previous token was, as far as value positions go (no strings: this runs per statement). */
    private static final int OTHER = 0;
    private static final int COMPARISON = 1;
    private static final int OPEN = 2;
    private static final int COMMA = 3;
    private static final int IN = 4;
    private static final int VALUES = 5;

    private final String shape;
    private final String[] values;

    private Literals(String shape, String[] values) {
        this.shape = shape;
        this.values = values;
    }

    /** The SQL with its value literals as {@code ?}: the key statements differing only in literals share. */
    public String shape() {
        return shape;
    }

    public int count() {
        return values.length;
    }

    /** The kind of each lifted literal in order: {@code s} for a string, {@code n} for a number. */
    public String kinds() {
        char[] k = new char[values.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = values[i].charAt(0) == '\'' ? 's' : 'n';
        }
        return new String(k);
    }

    /** The text of the i-th lifted literal (0-based), as the statement spelled it. */
    public String value(int i) {
        return values[i];
    }

    /**
     * Lifts the literals of {@code sql}; null when it has none in value positions, has JDBC placeholders
     * of its own (which the shape's could not be told from), or cannot be lexed.
     */
    public static Literals lift(String sql, boolean mysql) {
        try {
            return new Lifter(sql, mysql).run();
        } catch (SqlText.Unnumberable e) {
            return null;
        }
    }

    /**
     * The text with its placeholders (at {@code slots}, from {@link #slots}) replaced by this statement's
     * literals: placeholder j takes literal {@code map[j]} (1-based; a null map is the identity).
     */
    public String fill(String template, int[] slots, int[] map) {
        if (slots.length == 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16 * slots.length);
        int from = 0;
        for (int j = 0; j < slots.length; j++) {
            out.append(template, from, slots[j]).append(values[(map == null ? j + 1 : map[j]) - 1]);
            from = slots[j] + 1;
        }
        return out.append(template, from, template.length()).toString();
    }

    /** Where the {@code ?} placeholders of (rewritten) SQL text are. */
    public static int[] slots(String sql, boolean mysql) {
        IntList out = new IntList();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            int skip;
            try {
                skip = SqlText.skipNonCode(sql, i, mysql);
            } catch (SqlText.Unnumberable e) {
                break;
            }
            if (skip > i) {
                i = skip;
                continue;
            }
            if (sql.charAt(i) == '?') {
                out.add(i);
            }
            i++;
        }
        return out.toArray();
    }

    /** One left-to-right pass: tokens, the previous token, and per parenthesis level what it holds. */
    private static final class Lifter {
        private final String sql;
        private final boolean mysql;
        private final StringBuilder shape;
        private String[] values = new String[4];
        private int count;
        /** Per nesting level: 1 = a VALUES row or IN list, 2 = inside a clause without values, 0 = other. */
        private byte[] level = new byte[8];
        private int depth;
        /** The level that holds VALUES rows (after the VALUES keyword), or -1. */
        private int rowsDepth = -1;
        /** The previous token's kind: one of the constants above. */
        private int prev = OTHER;

        Lifter(String sql, boolean mysql) {
            this.sql = sql;
            this.mysql = mysql;
            this.shape = new StringBuilder(sql.length());
        }

        Literals run() throws SqlText.Unnumberable {
            int n = sql.length();
            int i = 0;
            while (i < n) {
                char c = sql.charAt(i);
                if (c == '\'') {
                    int end = SqlText.skipNonCode(sql, i, mysql);
                    // E'..', N'..', X'..', _utf8'..': a prefix glued to the quote makes it a typed literal
                    boolean prefixed = i > 0 && isIdentifierPart(sql.charAt(i - 1));
                    emit(i, end, !prefixed);
                    i = end;
                    continue;
                }
                int skip = SqlText.skipNonCode(sql, i, mysql);
                if (skip > i) {
                    boolean comment = c == '-' || c == '/' || c == '#';
                    shape.append(sql, i, skip);
                    if (!comment) {
                        prev = OTHER; // a quoted identifier or a dollar-quoted string
                    }
                    i = skip;
                    continue;
                }
                if (c == '?') {
                    return null; // placeholders of its own: leave the text alone
                }
                if (Character.isWhitespace(c)) {
                    shape.append(c);
                    i++;
                } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
                    i = number(i);
                } else if (isIdentifierPart(c)) {
                    int end = i;
                    while (end < n && isIdentifierPart(sql.charAt(end))) {
                        end++;
                    }
                    word(i, end);
                    shape.append(sql, i, end);
                    i = end;
                } else {
                    i = punctuation(i);
                }
            }
            if (count == 0) {
                return null;
            }
            return new Literals(shape.toString(), Arrays.copyOf(values, count));
        }

        private int number(int i) {
            int n = sql.length();
            int end = i;
            while (end < n && isDigit(sql.charAt(end))) {
                end++;
            }
            if (end < n && sql.charAt(end) == '.') {
                end++;
                while (end < n && isDigit(sql.charAt(end))) {
                    end++;
                }
            }
            if (end < n && (sql.charAt(end) == 'e' || sql.charAt(end) == 'E')) {
                int e = end + 1;
                if (e < n && (sql.charAt(e) == '+' || sql.charAt(e) == '-')) {
                    e++;
                }
                if (e < n && isDigit(sql.charAt(e))) {
                    end = e;
                    while (end < n && isDigit(sql.charAt(end))) {
                        end++;
                    }
                }
            }
            // 0x1F, 1abc (a MySQL identifier), t.1: not a plain number
            boolean plain = (end >= n || !isIdentifierPart(sql.charAt(end)))
                    && (i == 0 || (!isIdentifierPart(sql.charAt(i - 1)) && sql.charAt(i - 1) != '.'));
            if (!plain) {
                while (end < n && isIdentifierPart(sql.charAt(end))) {
                    end++;
                }
            }
            emit(i, end, plain);
            return end;
        }

        /** A literal at [start, end): lifted when it stands in a value position. */
        private void emit(int start, int end, boolean liftable) {
            if (liftable && inValuePosition()) {
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = sql.substring(start, end);
                shape.append('?');
            } else {
                shape.append(sql, start, end);
            }
            prev = OTHER;
        }

        private boolean inValuePosition() {
            if (level[depth] == 2) {
                return false;
            }
            return prev == COMPARISON || ((prev == OPEN || prev == COMMA) && level[depth] == 1);
        }

        /** The word at [start, end): its kind, and what it says about the clause it starts. */
        private void word(int start, int end) {
            for (String clause : CLAUSES_WITHOUT_VALUES) {
                if (is(start, end, clause)) {
                    level[depth] = 2;
                }
            }
            if (is(start, end, "values") || is(start, end, "value")) {
                rowsDepth = depth;
                prev = VALUES;
                return;
            }
            if (rowsDepth == depth) {
                rowsDepth = -1;
            }
            prev = is(start, end, "in") ? IN : is(start, end, "like") ? COMPARISON : OTHER;
        }

        /** Whether the text at [start, end) is the lower-case ASCII keyword {@code k}, in any case. */
        private boolean is(int start, int end, String k) {
            if (end - start != k.length()) {
                return false;
            }
            for (int j = 0; j < k.length(); j++) {
                char c = sql.charAt(start + j);
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != k.charAt(j)) {
                    return false;
                }
            }
            return true;
        }

        /** =, <>, !=, <, >, <= or >= at [start, end) (not MySQL's <=> or a stray !). */
        private boolean isComparison(int start, int end) {
            char a = sql.charAt(start);
            if (end - start == 1) {
                return a == '=' || a == '<' || a == '>';
            }
            if (end - start != 2) {
                return false;
            }
            char b = sql.charAt(start + 1);
            return (a == '<' && (b == '>' || b == '=')) || ((a == '!' || a == '>') && b == '=');
        }

        private int punctuation(int i) {
            int n = sql.length();
            char c = sql.charAt(i);
            int end = i + 1;
            if (c == '(') {
                boolean list = prev == IN || (depth == rowsDepth && (prev == VALUES || prev == COMMA));
                open(list ? (byte) 1 : level[depth] == 2 ? (byte) 2 : (byte) 0);
                prev = OPEN;
            } else if (c == ')') {
                if (depth > 0) {
                    depth--;
                }
                prev = OTHER;
            } else if (c == ',') {
                prev = COMMA;
            } else if (c == '<' || c == '>' || c == '!' || c == '=') {
                while (end < n && "<>=!".indexOf(sql.charAt(end)) >= 0) {
                    end++;
                }
                // MySQL's assignment ":=" is not a comparison
                prev = (i == 0 || sql.charAt(i - 1) != ':') && isComparison(i, end)
                        ? COMPARISON : OTHER;
            } else {
                while (end < n && "+-*/%^&|~:@#".indexOf(c) >= 0 && sql.charAt(end) == c) {
                    end++;
                }
                prev = OTHER;
            }
            shape.append(sql, i, end);
            return end;
        }

        private void open(byte kind) {
            depth++;
            if (depth == level.length) {
                level = Arrays.copyOf(level, depth * 2);
            }
            level[depth] = kind;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentifierPart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$'
                    || (c > 127 && Character.isLetterOrDigit(c));
        }
    }
}
