package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import java.util.HashSet;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.schema.Column;

/** The column names an expression reads (canonical, qualifiers ignored, so it errs on the side of more). */
final class ColumnNames extends ExpressionVisitorAdapter<Void> {
    private final Dialect d;
    private final Set<String> names = new HashSet<>();

    private ColumnNames(Dialect d) {
        this.d = d;
    }

    static Set<String> of(Expression e, Dialect d) {
        ColumnNames v = new ColumnNames(d);
        e.accept(v, null);
        return v.names;
    }

    @Override
    public <S> Void visit(Column column, S context) {
        names.add(d.canonical(column.getColumnName()));
        return null;
    }
}
