package dev.dualwrite.rewrite;

import dev.dualwrite.rules.Migration;
import java.util.List;

/**
 * The result of rewriting one statement: the SQL to send, how its parameters map to the application's,
 * and which migrations it touched. Immutable and shared through the cache.
 */
public final class Rewrite {
    /** What happened to the statement. */
    public enum Kind {
        /** No migrated table is involved: send the application's SQL as it is. */
        PASS_THROUGH,
        /** The SQL was rewritten. */
        REWRITTEN,
        /** A migrated table is involved but the statement cannot be rewritten with certainty. */
        REJECTED
    }

    private final Kind kind;
    private final String sql;
    private final int[] parameterMap;
    private final List<Migration> touched;
    private final boolean dualWrite;
    private final boolean readsNew;
    private final String reason;
    private final List<Step> before;
    private final List<Step> after;
    private boolean query;

    /**
     * One more statement of a script (see {@link #before()}): its SQL and parameter map, like the main
     * statement's.
     */
    public static final class Step {
        private final String sql;
        private final int[] parameterMap;

        public Step(String sql, int[] parameterMap) {
            this.sql = sql;
            this.parameterMap = parameterMap;
        }

        public String sql() {
            return sql;
        }

        /** As {@link Rewrite#parameterMap()}. */
        public int[] parameterMap() {
            return parameterMap;
        }

        @Override
        public String toString() {
            return sql;
        }
    }

    private Rewrite(Kind kind, String sql, int[] parameterMap, List<Migration> touched, boolean dualWrite,
            boolean readsNew, String reason) {
        this(kind, sql, parameterMap, touched, dualWrite, readsNew, reason, List.of(), List.of());
    }

    private Rewrite(Kind kind, String sql, int[] parameterMap, List<Migration> touched, boolean dualWrite,
            boolean readsNew, String reason, List<Step> before, List<Step> after) {
        this.before = List.copyOf(before);
        this.after = List.copyOf(after);
        this.kind = kind;
        this.sql = sql;
        this.parameterMap = parameterMap;
        this.touched = touched;
        this.dualWrite = dualWrite;
        this.readsNew = readsNew;
        this.reason = reason;
    }

    static Rewrite passThrough(String sql) {
        return new Rewrite(Kind.PASS_THROUGH, sql, null, List.of(), false, false, null);
    }

    static Rewrite rewritten(String sql, int[] parameterMap, List<Migration> touched, boolean dualWrite,
            boolean readsNew) {
        return new Rewrite(Kind.REWRITTEN, sql, parameterMap, List.copyOf(touched), dualWrite, readsNew, null);
    }

    static Rewrite script(List<Step> before, String sql, int[] parameterMap, List<Step> after,
            List<Migration> touched, boolean readsNew) {
        return new Rewrite(Kind.REWRITTEN, sql, parameterMap, List.copyOf(touched), true, readsNew, null, before,
                after);
    }

    static Rewrite rejected(String sql, List<Migration> touched, String reason) {
        return new Rewrite(Kind.REJECTED, sql, null, List.copyOf(touched), false, false, reason);
    }

    /** A statement the rule file lets pass although it could not be rewritten ({@code on_unparseable: pass}). */
    static Rewrite passedUnrewritten(String sql, List<Migration> touched, String reason) {
        return new Rewrite(Kind.PASS_THROUGH, sql, null, List.copyOf(touched), false, false, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The SQL to send: rewritten, or the application's own. */
    public String sql() {
        return sql;
    }

    /**
     * For each parameter of {@link #sql()} (index 0 is the first {@code ?}), the 1-based index of the
     * application's parameter that supplies it; null when the two are the same.
     */
    public int[] parameterMap() {
        return parameterMap;
    }

    /**
     * Statements to run, in one transaction, before {@link #sql()} (whose results are the application's);
     * empty unless the rewrite is a script (a write to a moved table while both tables are written, on MySQL;
     * a DELETE from one on PostgreSQL, which takes its row locks first).
     */
    public List<Step> before() {
        return before;
    }

    /** Statements to run after {@link #sql()}, in the same transaction. */
    public List<Step> after() {
        return after;
    }

    /** True when the rewrite is several statements that must run in one transaction. */
    public boolean isScript() {
        return !before.isEmpty() || !after.isEmpty();
    }

    /** True when the statement is a query (a SELECT, not a write). */
    public boolean isQuery() {
        return query;
    }

    /** This rewrite, known to be a query. */
    Rewrite asQuery() {
        Rewrite r = new Rewrite(kind, sql, parameterMap, touched, dualWrite, readsNew, reason, before, after);
        r.query = true;
        return r;
    }

    /**
     * This rewrite with other texts (the same statement with its literals filled in): no parameter maps,
     * everything else the same.
     */
    Rewrite withTexts(String text, List<Step> beforeTexts, List<Step> afterTexts) {
        Rewrite r = new Rewrite(kind, text, null, touched, dualWrite, readsNew, reason, beforeTexts, afterTexts);
        r.query = query;
        return r;
    }

    /** True when the two would run the same way: same kind, texts, maps and flags. */
    boolean sameAs(Rewrite o) {
        return kind == o.kind && sql.equals(o.sql) && java.util.Arrays.equals(parameterMap, o.parameterMap)
                && touched.equals(o.touched) && dualWrite == o.dualWrite && readsNew == o.readsNew
                && query == o.query && java.util.Objects.equals(reason, o.reason)
                && sameSteps(before, o.before) && sameSteps(after, o.after);
    }

    private static boolean sameSteps(List<Step> a, List<Step> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sql.equals(b.get(i).sql) || !java.util.Arrays.equals(a.get(i).parameterMap,
                    b.get(i).parameterMap)) {
                return false;
            }
        }
        return true;
    }

    /** The migrations whose tables the statement names. */
    public List<Migration> touched() {
        return touched;
    }

    /** True when the statement writes both the old and the new side. */
    public boolean dualWrite() {
        return dualWrite;
    }

    /** True when some migrated column or table is read from the new side. */
    public boolean readsNew() {
        return readsNew;
    }

    /** Why the statement was rejected (or passed unrewritten); null otherwise. */
    public String reason() {
        return reason;
    }

    /** The message for the application's SQLException: rule, reason, statement, what to do. */
    public String rejectionMessage() {
        String ids = touched.isEmpty() ? "?" : touched.get(0).id();
        for (int i = 1; i < touched.size(); i++) {
            ids += ", " + touched.get(i).id();
        }
        return "dualwrite: statement rejected by rule " + ids + ": " + reason + ". Statement: " + sql
                + " -- rewrite it in a supported form, or set on_unparseable: pass in the rule file"
                + " to send such statements unchanged";
    }

    @Override
    public String toString() {
        return kind + ": " + (isScript() ? before + " " + sql + " " + after : sql);
    }
}
