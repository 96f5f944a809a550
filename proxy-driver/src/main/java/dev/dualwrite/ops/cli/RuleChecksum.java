package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.SqlLiteral;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * SHA-256 of what a migration's data depends on: its id, tables, key and column rules. Phase and reads
 * are left out: flipping them does not change what the backfill writes, so it does not restart it.
 */
final class RuleChecksum {
    private RuleChecksum() {
    }

    static String of(Migration m) {
        StringBuilder sb = new StringBuilder("id=").append(m.id()).append("\ntable=").append(m.table())
                .append("\nto_table=").append(m.toTable()).append("\nkey=").append(m.key());
        for (ColumnRule c : m.columns()) {
            sb.append("\ncolumn=").append(c.column()).append(" to=").append(c.to()).append(" to_new=").append(c.toNew())
                    .append(" drop=").append(c.drop()).append(" values=");
            for (Map.Entry<SqlLiteral, SqlLiteral> e : c.values().entrySet()) {
                sb.append(e.getKey().sql()).append("->").append(e.getValue().sql()).append(';');
            }
        }
        return AtomicFile.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
