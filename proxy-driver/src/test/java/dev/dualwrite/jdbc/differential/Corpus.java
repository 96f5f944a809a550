package dev.dualwrite.jdbc.differential;

import dev.dualwrite.jdbc.testdb.Engine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table-driven statement corpus: one statement per line, {@code ENGINES EXPECT MODE SQL [:: PARAMS]},
 * grouped by {@code @family NAME} lines. The format is documented at the top of each corpus file.
 */
final class Corpus {
    private Corpus() {
    }

    /** What the corpus demands of the driver for one statement. */
    enum Expect {
        /** Must be rewritten or passed in every phase, with results equal to the control's. */
        MUST,
        /** Handled (and then exactly right) or rejected with 0A000. */
        ANY,
        /** MUST on PostgreSQL, ANY on MySQL (a form this version handles on PostgreSQL only). */
        PGMUST,
        /** MUST in expand and migrate, ANY in contract (a form that needs the old schema to be exact). */
        PRECONTRACT,
        /** Must be rejected with 0A000 in every phase. */
        REJECT,
        /** Invalid on purpose: both sides must fail. */
        ERROR
    }

    /** How the statement is executed through JDBC. */
    enum Mode {
        STMT, PREP, BATCH, CALL, KEYS
    }

    /** One corpus entry. {@code params} holds one row, or one row per batch entry. */
    static final class Case {
        final String family;
        final String engines;
        final Expect expect;
        final Mode mode;
        final String sql;
        final List<List<Object>> params;
        final int line;

        Case(String family, String engines, Expect expect, Mode mode, String sql, List<List<Object>> params, int line) {
            this.family = family;
            this.engines = engines;
            this.expect = expect;
            this.mode = mode;
            this.sql = sql;
            this.params = params;
            this.line = line;
        }

        boolean runsOn(Engine e) {
            return engines.equals("both") || engines.equals(e == Engine.POSTGRESQL ? "pg" : "my");
        }

        @Override
        public String toString() {
            return "line " + line + " [" + family + " " + expect.name().toLowerCase(Locale.ROOT) + " "
                    + mode.name().toLowerCase(Locale.ROOT) + "] " + sql + (params.isEmpty() ? "" : " :: " + params);
        }
    }

    static List<Case> load(String resource) {
        InputStream in = Corpus.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("no corpus " + resource);
        }
        List<Case> out = new ArrayList<>();
        String family = null;
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (t.startsWith("@family ")) {
                    family = t.substring("@family ".length()).strip();
                    continue;
                }
                try {
                    out.add(parse(t, family, lineNo));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(resource + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Case parse(String t, String family, int lineNo) {
        if (family == null) {
            throw new IllegalArgumentException("entry before any @family line");
        }
        String[] head = t.split("\\s+", 4);
        if (head.length < 4 || !List.of("both", "pg", "my").contains(head[0])) {
            throw new IllegalArgumentException("expected ENGINES EXPECT MODE SQL");
        }
        Expect expect = Expect.valueOf(head[1].toUpperCase(Locale.ROOT));
        Mode mode = Mode.valueOf(head[2].toUpperCase(Locale.ROOT));
        String rest = head[3];
        String sql = rest;
        List<List<Object>> params = new ArrayList<>();
        int sep = rest.lastIndexOf(" :: ");
        if (sep >= 0) {
            sql = rest.substring(0, sep).strip();
            for (String row : rest.substring(sep + 4).split(" ; ")) {
                params.add(values(row.strip()));
            }
        }
        return new Case(family, head[0], expect, mode, sql, params, lineNo);
    }

    /** Comma-separated integers, 'strings' ('' escapes a quote) and null. */
    static List<Object> values(String s) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == ',') {
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("unterminated string in params");
                    }
                    char ch = s.charAt(i++);
                    if (ch == '\'') {
                        if (i < s.length() && s.charAt(i) == '\'') {
                            sb.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(ch);
                    }
                }
                out.add(sb.toString());
            } else {
                int end = i;
                while (end < s.length() && s.charAt(end) != ',') {
                    end++;
                }
                String tok = s.substring(i, end).strip();
                out.add(tok.equalsIgnoreCase("null") ? null : (Object) Integer.valueOf(tok));
                i = end;
            }
        }
        return out;
    }
}
