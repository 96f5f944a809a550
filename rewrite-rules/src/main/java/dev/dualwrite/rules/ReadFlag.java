package dev.dualwrite.rules;

import java.util.Locale;

/**
 * Where reads come from during the migrate phase (contract section 4.2):
 * {@code old}, {@code new}, {@code shadow[:N]} or {@code canary:N}.
 */
public final class ReadFlag {
    public enum Kind { OLD, NEW, SHADOW, CANARY }

    public static final ReadFlag OLD = new ReadFlag(Kind.OLD, 0);
    public static final ReadFlag NEW = new ReadFlag(Kind.NEW, 100);

    private final Kind kind;
    private final int percent;

    private ReadFlag(Kind kind, int percent) {
        this.kind = kind;
        this.percent = percent;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@code shadow}: the share of reads compared; for {@code canary}: the share read from new. */
    public int percent() {
        return percent;
    }

    /**
     * Parses a flag as written in a rule file or on the command line.
     *
     * @throws IllegalArgumentException with a message that lists the accepted forms
     */
    public static ReadFlag parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "old": return OLD;
            case "new": return NEW;
            case "shadow": return new ReadFlag(Kind.SHADOW, 100);
            default:
        }
        int colon = t.indexOf(':');
        if (colon > 0) {
            String head = t.substring(0, colon);
            int n = parsePercent(t.substring(colon + 1), text);
            if (head.equals("shadow") && n >= 1 && n <= 100) {
                return new ReadFlag(Kind.SHADOW, n);
            }
            if (head.equals("canary") && n >= 1 && n <= 99) {
                return new ReadFlag(Kind.CANARY, n);
            }
        }
        throw new IllegalArgumentException("'" + text
                + "' is not a read flag; use old, new, shadow, shadow:<1-100> or canary:<1-99>");
    }

    private static int parsePercent(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case OLD: return "old";
            case NEW: return "new";
            case SHADOW: return percent == 100 ? "shadow" : "shadow:" + percent;
            default: return "canary:" + percent;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadFlag && ((ReadFlag) o).kind == kind && ((ReadFlag) o).percent == percent;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + percent;
    }
}
