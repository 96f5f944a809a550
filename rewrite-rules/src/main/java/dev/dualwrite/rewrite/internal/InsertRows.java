package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;

/**
 * The rows an INSERT supplies, whether a VALUES list (one or many rows) or the items of a query,
 * behind one interface so that mirroring a column is written once.
 */
abstract class InsertRows {
    abstract int size();

    /** Values per row (of the first row), or -1 when unknown. */
    abstract int width();

    abstract Expression get(int row, int position);

    abstract void set(int row, int position, Expression e);

    abstract void append(int row, Expression e);

    abstract void remove(int row, int position);

    /** True for VALUES rows (where MySQL lets a value refer to a column set earlier in the row). */
    abstract boolean isValues();

    static InsertRows of(Select source, Dialect d) {
        if (source instanceof Values) {
            ExpressionList<?> exprs = ((Values) source).getExpressions();
            List<ExpressionList<Expression>> rows = new ArrayList<>();
            boolean allRows = !exprs.isEmpty();
            for (Object o : exprs) {
                allRows &= o instanceof ExpressionList;
            }
            if (allRows) {
                for (Object o : exprs) {
                    rows.add(cast((ExpressionList<?>) o));
                }
            } else {
                rows.add(cast(exprs));
            }
            return new ValueRows(rows);
        }
        if (source instanceof PlainSelect) {
            PlainSelect ps = (PlainSelect) source;
            for (SelectItem<?> item : ps.getSelectItems()) {
                if (item.getExpression() instanceof AllColumns) {
                    return null;
                }
            }
            return new QueryRow(ps);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static ExpressionList<Expression> cast(ExpressionList<?> l) {
        return (ExpressionList<Expression>) l;
    }

    private static final class ValueRows extends InsertRows {
        private final List<ExpressionList<Expression>> rows;

        ValueRows(List<ExpressionList<Expression>> rows) {
            this.rows = rows;
        }

        @Override
        int width() {
            return rows.isEmpty() ? -1 : rows.get(0).size();
        }

        @Override
        int size() {
            return rows.size();
        }

        @Override
        Expression get(int row, int position) {
            return rows.get(row).get(position);
        }

        @Override
        void set(int row, int position, Expression e) {
            rows.get(row).set(position, e);
        }

        @Override
        void append(int row, Expression e) {
            rows.get(row).add(e);
        }

        @Override
        void remove(int row, int position) {
            rows.get(row).remove(position);
        }

        @Override
        boolean isValues() {
            return true;
        }
    }

    private static final class QueryRow extends InsertRows {
        private final PlainSelect select;

        QueryRow(PlainSelect select) {
            this.select = select;
        }

        @Override
        int width() {
            return select.getSelectItems().size();
        }

        @Override
        int size() {
            return 1;
        }

        @Override
        Expression get(int row, int position) {
            return select.getSelectItems().get(position).getExpression();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        void set(int row, int position, Expression e) {
            ((SelectItem) select.getSelectItems().get(position)).setExpression(e);
        }

        @Override
        void append(int row, Expression e) {
            select.addSelectItem(e);
        }

        @Override
        void remove(int row, int position) {
            select.getSelectItems().remove(position);
        }

        @Override
        boolean isValues() {
            return false;
        }
    }
}
