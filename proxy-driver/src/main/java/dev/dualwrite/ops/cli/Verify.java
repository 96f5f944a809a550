package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A full comparison of a migration's two sides: the old table in key-ordered chunks, each counted by
 * {@link Consistency} over its key range (short reads, no long snapshot), and for a table move the new
 * table's rows whose key has no old row.
 */
final class Verify {
    private final Database db;
    private final Consistency consistency;

    Verify(Database db) {
        this.db = db;
        this.consistency = new Consistency(db);
    }

    Consistency.Result full(Migration m, int chunk, int keysToShow) throws SQLException {
        BackfillStatements walk = BackfillStatements.of(db, m, chunk);
        KeyColumns key = walk.key();
        String old = db.table(m.table()) + " " + BackfillStatements.OLD;
        Consistency.Result total = Consistency.Result.empty(consistency.labels(m));
        Object[] last = null;
        while (true) {
            Object[] upper = null;
            try (PreparedStatement ps = db.connection().prepareStatement(walk.nextKeys(last == null))) {
                walk.bindNextKeys(ps, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        upper = key.read(rs, 1);
                    }
                }
            }
            if (upper == null) {
                break;
            }
            Object[] from = last;
            Object[] to = upper;
            String range = (from == null ? "" : key.after(BackfillStatements.OLD).sql + " AND ")
                    + key.atMost(BackfillStatements.OLD).sql;
            Consistency.Result chunkResult = consistency.check(m, "SELECT * FROM " + old + " WHERE " + range, ps -> {
                int i = from == null ? 1 : key.after(BackfillStatements.OLD).bind(ps, 1, from);
                key.atMost(BackfillStatements.OLD).bind(ps, i, to);
            }, keysToShow - total.keys.size());
            total = total.plus(chunkResult, keysToShow);
            last = upper;
        }
        if (m.isTableMove()) {
            total = total.plus(consistency.extraRows(m, keysToShow), keysToShow);
        }
        return total;
    }

    /** The first {@code sample} rows of the old table, as {@code status} counts them, with the first keys. */
    Consistency.Result sample(Migration m, int sample, int keysToShow) throws SQLException {
        return consistency.check(m, "SELECT * FROM " + db.table(m.table()) + " LIMIT " + sample,
                Consistency.Binder.NONE, keysToShow);
    }
}
