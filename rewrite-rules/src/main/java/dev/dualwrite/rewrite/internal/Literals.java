package dev.dualwrite.rewrite.internal;

import java.util.Arrays;
import java.util.Locale;

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
        /** The previous token: an operator's text, a lower-case word, "(", ",", or "" for anything else. */
        private String prev = "";

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
                        prev = ""; // a quoted identifier or a dollar-quoted string
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
                    word(sql.substring(i, end).toLowerCase(Locale.ROOT));
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
            prev = "";
        }

        private boolean inValuePosition() {
            if (level[depth] == 2) {
                return false;
            }
            switch (prev) {
                case "=":
                case "<>":
                case "!=":
                case "<":
                case ">":
                case "<=":
                case ">=":
                case "like":
                    return true;
                case "(":
                case ",":
                    return level[depth] == 1;
                default:
                    return false;
            }
        }

        private void word(String w) {
            for (String clause : CLAUSES_WITHOUT_VALUES) {
                if (clause.equals(w)) {
                    level[depth] = 2;
                }
            }
            if (w.equals("values") || w.equals("value")) {
                rowsDepth = depth;
            } else if (rowsDepth == depth) {
                rowsDepth = -1;
            }
            prev = w;
        }

        private int punctuation(int i) {
            int n = sql.length();
            char c = sql.charAt(i);
            int end = i + 1;
            if (c == '(') {
                boolean list = prev.equals("in") || (depth == rowsDepth && (prev.equals("values")
                        || prev.equals("value") || prev.equals(",")));
                open(list ? (byte) 1 : level[depth] == 2 ? (byte) 2 : (byte) 0);
                prev = "(";
            } else if (c == ')') {
                if (depth > 0) {
                    depth--;
                }
                prev = "";
            } else if (c == ',') {
                prev = ",";
            } else if (c == '<' || c == '>' || c == '!' || c == '=') {
                while (end < n && "<>=!".indexOf(sql.charAt(end)) >= 0) {
                    end++;
                }
                // MySQL's assignment ":=" is not a comparison
                prev = i > 0 && sql.charAt(i - 1) == ':' ? "" : sql.substring(i, end);
            } else {
                while (end < n && "+-*/%^&|~:@#".indexOf(c) >= 0 && sql.charAt(end) == c) {
                    end++;
                }
                prev = "";
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
