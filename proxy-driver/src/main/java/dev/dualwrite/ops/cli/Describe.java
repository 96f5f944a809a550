package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.SqlLiteral;
import java.util.Map;

/** How the commands name a migration's parts, the same way everywhere. */
final class Describe {
    private Describe() {
    }

    /** {@code users}, or {@code orders -> billing.orders_v2} for a table move. */
    static String tables(Migration m) {
        return m.isTableMove() ? m.table() + " -> " + m.toTable() : m.table().toString();
    }

    /** {@code phase migrate, reads old}. */
    static String state(Migration m) {
        return "phase " + m.phase().yamlName() + ", reads " + m.reads();
    }

    /** {@code user_name -> display_name (to_new: lower({}), to_old: {})}, {@code legacy_flags dropped}. */
    static String column(ColumnRule c) {
        if (c.drop()) {
            return c.column() + " dropped";
        }
        StringBuilder sb = new StringBuilder(c.column()).append(" -> ").append(c.to());
        if (c.toNew() != null) {
            sb.append(" (to_new: ").append(c.toNew()).append(", to_old: ").append(c.toOld()).append(')');
        } else if (!c.values().isEmpty()) {
            sb.append(" (values:");
            String sep = " ";
            for (Map.Entry<SqlLiteral, SqlLiteral> e : c.values().entrySet()) {
                sb.append(sep).append(e.getKey()).append(" -> ").append(e.getValue());
                sep = ", ";
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
