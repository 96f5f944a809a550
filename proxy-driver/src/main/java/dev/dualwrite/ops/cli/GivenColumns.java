package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Table metadata given on the command line ({@code --columns orders=id,user_id,status}), so that
 * {@code explain} can show, without a database, the rewrites that need the columns of a table: table
 * moves, {@code SELECT *}, INSERT without a column list. Keys and unique indexes stay unknown.
 */
final class GivenColumns implements Catalog {
    private final Map<String, List<String>> tables = new HashMap<>();

    GivenColumns(List<String> specs, Dialect dialect) {
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw CliFailure.badInput("--columns '" + spec + "' must be TABLE=COLUMN,COLUMN,... (e.g."
                        + " --columns orders=id,user_id,status)");
            }
            QualifiedName table = QualifiedName.parse(spec.substring(0, eq).trim());
            List<String> columns = new ArrayList<>();
            for (String c : spec.substring(eq + 1).split(",")) {
                // as the database reports them: unquoted names folded as the database would fold them
                columns.add(dialect.canonical(c.trim()));
            }
            tables.put(key(table.schema() == null ? null : dialect.canonical(table.schema()),
                    dialect.canonical(table.name())), List.copyOf(columns));
        }
    }

    @Override
    public List<String> columns(String schema, String table) {
        return tables.get(key(schema, table));
    }

    @Override
    public String currentSchema() {
        return null;
    }

    private static String key(String schema, String table) {
        return schema == null ? table : schema + "." + table;
    }
}
