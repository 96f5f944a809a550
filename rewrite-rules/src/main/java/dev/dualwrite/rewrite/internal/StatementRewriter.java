package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.RuleSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Rewrites one parsed statement in place. Two steps, the same for every statement shape:
 * <ol>
 * <li>writes: where a statement assigns a migrated column during expand/migrate, add the mirror
 * assignment of the other column; during contract, retarget the assignment to the new column;</li>
 * <li>reads: bind every column reference to the FROM item it belongs to (aliases, subqueries, CTEs,
 * metadata for unqualified names) and, where that item reads the new side, replace the reference by
 * the new column carried back through {@code to_old}, keeping the result label the application asked for.</li>
 * </ol>
 * Anything it cannot do with certainty throws {@link RewriteRejected}.
 */
public final class StatementRewriter {
    private final Dialect d;
    private final RuleSet rules;
    private final IntPredicate readsNew;
    private final Catalog catalog;
    private final Set<String> oldColumnNames = new HashSet<>();

    private final LinkedHashSet<Migration> touched = new LinkedHashSet<>();
    private boolean changed;
    private int changes;
    private boolean reads;
    private boolean writes;
    /** The statement being rewritten: its own result columns are the only ones the application sees. */
    private Statement outermost;
    /** The whole SQL when the statement had to be wrapped (a table move's mirror write). */
    private String wrapped;
    /** MySQL table moves: statements to run before and after it, in one transaction. */
    private final List<String> before = new ArrayList<>();
    private final List<String> after = new ArrayList<>();
    private boolean dualWrite;
    private boolean readNew;

    public StatementRewriter(Dialect dialect, RuleSet rules, IntPredicate readsNew, Catalog catalog) {
        this.d = dialect;
        this.rules = rules;
        this.readsNew = readsNew;
        this.catalog = catalog;
        for (Migration m : rules.migrations()) {
            for (ColumnRule c : m.columns()) {
                oldColumnNames.add(d.canonical(c.column()));
            }
        }
    }

    public List<Migration> touched() {
        return new ArrayList<>(touched);
    }

    public boolean changed() {
        return changed;
    }

    /** How many changes have been made so far (to tell which statement of a script changed). */
    public int changes() {
        return changes;
    }

    private void markChanged() {
        changed = true;
        changes++;
    }

    public boolean dualWrite() {
        return dualWrite;
    }

    /** True when everything rewritten so far was a query: no INSERT, UPDATE, DELETE or upsert, nor one in a CTE. */
    public boolean onlyReads() {
        return !writes && reads;
    }

    public boolean readNew() {
        return readNew;
    }

    public void rewrite(Statement st) throws RewriteRejected {
        outermost = st;
        wrapped = null;
        reads |= st instanceof Select;
        if (st instanceof Select) {
            select((Select) st, null);
        } else if (st instanceof Insert) {
            insert((Insert) st, null);
        } else if (st instanceof Update) {
            update((Update) st, null);
        } else if (st instanceof Delete) {
            delete((Delete) st, null);
        } else if (st instanceof Upsert) {
            upsert((Upsert) st);
        } else if (st instanceof ExplainStatement && ((ExplainStatement) st).getStatement() != null) {
            // EXPLAIN shows, and EXPLAIN ANALYZE runs, the statement as the driver would send it.
            Statement inner = ((ExplainStatement) st).getStatement();
            rewrite(inner);
            outermost = st;
            if (wrapped != null || !before.isEmpty() || !after.isEmpty()) {
                throw new RewriteRejected(touched.isEmpty() ? rules.migrations().get(0) : touched.iterator().next(),
                        "EXPLAIN of a write to a moved table is not supported while both tables are written");
            }
        } else {
            // The name scan found a migrated table in the text; a statement the rewriter does not model
            // cannot be shown to leave it alone.
            Migration m = anyMigratedTable(st);
            throw new RewriteRejected(m != null ? m : rules.migrations().get(0), "this "
                    + st.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT)
                    + " statement names a migrated table and is not supported");
        }
    }

    // --- tables ----------------------------------------------------------------------------------

    private Migration anyMigratedTable(Statement st) {
        Set<String> names;
        try {
            names = TablesNamesFinder.findTables(st.toString());
        } catch (Exception | StackOverflowError e) {
            return rules.migrations().isEmpty() ? null : rules.migrations().get(0);
        }
        for (String n : names) {
            Table t = new Table(n);
            int dot = n.lastIndexOf('.');
            if (dot > 0) {
                t = new Table(n.substring(0, dot), n.substring(dot + 1));
            }
            for (Migration m : rules.migrations()) {
                if (m.phase() != Phase.OFF && d.canonical(m.table().name()).equals(d.canonical(t.getName()))) {
                    return m;
                }
            }
        }
        return null;
    }

    /** The column rules that apply to a table reference, or null when it names a CTE. */
    private List<Bound> boundsFor(Table t, Scope scope, boolean writeTarget) throws RewriteRejected {
        if (!writeTarget && t.getSchemaName() == null && scope != null && scope.ctes.contains(d.canonical(t.getName()))) {
            return null; // a CTE of that name (a write always targets the real table)
        }
        List<Bound> out = new ArrayList<>();
        List<Migration> ms = rules.migrations();
        for (int i = 0; i < ms.size(); i++) {
            Migration m = ms.get(i);
            if (m.phase() == Phase.OFF || !tableMatches(m, t)) {
                continue;
            }
            touched.add(m);
            boolean newSide = writeTarget ? m.phase() == Phase.CONTRACT : readsNew.test(i);
            for (ColumnRule c : m.columns()) {
                out.add(new Bound(m, c, newSide));
            }
        }
        return out;
    }

    private boolean tableMatches(Migration m, Table t) throws RewriteRejected {
        if (t.getName() == null || !d.canonical(m.table().name()).equals(d.canonical(t.getName()))) {
            return false;
        }
        String rs = m.table().schema() == null ? null : d.canonical(m.table().schema());
        String ts = t.getSchemaName() == null ? null : d.canonical(t.getSchemaName());
        if (d == Dialect.MYSQL && (!d.spelling(m.table().name()).equals(d.spelling(t.getName()))
                || rs != null && ts != null && !d.spelling(m.table().schema()).equals(d.spelling(t.getSchemaName())))) {
            throw new RewriteRejected(m, t.getFullyQualifiedName() + " differs from the migrated table " + m.table()
                    + " only by case; MySQL compares table names by case where lower_case_table_names=0, so the driver"
                    + " cannot tell whether it is the same table: spell it as the rule file does");
        }
        if (rs == null && ts == null) {
            return true;
        }
        if (rs != null && ts != null) {
            return rs.equals(ts);
        }
        String current = catalog.currentSchema();
        if (current == null) {
            throw new RewriteRejected(m, "cannot tell whether " + t + " is the migrated table " + m.table()
                    + " because the current schema is unknown; qualify both the same way");
        }
        return (rs != null ? rs : ts).equals(current);
    }

    private Source tableSource(Table t, Scope scope, boolean writeTarget) throws RewriteRejected {
        List<Bound> bounds = boundsFor(t, scope, writeTarget);
        Alias a = t.getAlias();
        String exposed = d.canonical(a != null ? a.getName() : t.getName());
        String qualifier = a != null ? a.getName() : t.getFullyQualifiedName();
        if (bounds == null) {
            return new Source(exposed, qualifier, null, List.of(), null);
        }
        if (a != null && a.getAliasColumns() != null && !a.getAliasColumns().isEmpty() && !bounds.isEmpty()) {
            throw new RewriteRejected(bounds.get(0).migration, "a table alias with a column list ("
                    + a + ") on a migrated table is not supported");
        }
        Source s = new Source(exposed, qualifier, t, bounds, null);
        List<Migration> ms = rules.migrations();
        for (int i = 0; i < ms.size(); i++) {
            Migration m = ms.get(i);
            if (m.isTableMove() && m.phase() != Phase.OFF && tableMatches(m, t)) {
                s.move = m;
                s.oldTable = new Table(t.getSchemaName(), t.getName());
                if (writeTarget ? m.phase() == Phase.CONTRACT : readsNew.test(i)) {
                    redirect(s, t, m);
                }
            }
        }
        return s;
    }

    /** Points a FROM item (or write target) of a moved table at the new table, keeping its alias. */
    private void redirect(Source s, Table t, Migration m) {
        t.setSchemaName(m.toTable().schema());
        t.setName(m.toTable().name());
        s.redirected = true;
        if (t.getAlias() == null) {
            s.qualifierSql = m.toTable().toString();
            s.requalify = true;
        }
        markChanged();
        readNew |= m.phase() != Phase.CONTRACT;
    }

    /**
     * The columns of a moved table as the application knows them, in its order: the old table's, or, once
     * that is gone, the new table's mapped back (dropped columns last). Null when unknown.
     */
    private List<String> applicationColumnsOfMove(Source s) {
        List<String> old = columnsOf(s.oldTable);
        if (old != null) {
            return old;
        }
        List<String> fresh = columnsOf(new Table(s.move.toTable().schema(), s.move.toTable().name()));
        if (fresh == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String c : fresh) {
            Bound b = s.ruleForNew(d.reported(c), d);
            out.add(b != null ? b.rule.column() : c);
        }
        for (ColumnRule r : s.move.columns()) {
            if (r.drop()) {
                out.add(r.column());
            }
        }
        return out;
    }

    /** {@code *} over a moved table read from the new one: the old columns, in order, under old names. */
    private List<SelectItem<?>> movedStar(Source s) throws RewriteRejected {
        List<String> cols = applicationColumnsOfMove(s);
        if (cols == null) {
            throw new RewriteRejected(s.move, "SELECT * on " + s.oldTable + " needs its columns, which are unknown"
                    + " here; list the columns");
        }
        List<SelectItem<?>> out = new ArrayList<>();
        for (String c : cols) {
            Bound b = s.ruleForOld(d.reported(c), d);
            if (s.rowsLookup != null) {
                out.add(new SelectItem<>(raw(oldRowValue(s, d.quote(c))), new Alias(d.quote(c), true)));
            } else if (b != null && b.rule.drop()) {
                out.add(new SelectItem<>(raw("NULL"), new Alias(d.quote(c), true)));
            } else if (b != null) {
                out.add(readItem(s, b, d.quote(c)));
            } else {
                out.add(new SelectItem<>(raw(s.qualifierSql + "." + d.quote(c))));
            }
        }
        markChanged();
        return out;
    }

    // --- SELECT ----------------------------------------------------------------------------------

    /** Rewrites a query; returns its output labels (canonical), with null entries where unknown. */
    private List<String> select(Select sel, Scope parent) throws RewriteRejected {
        Scope base = withItems(sel.getWithItemsList(), parent);
        if (sel instanceof PlainSelect) {
            return plainSelect((PlainSelect) sel, base);
        }
        if (sel instanceof SetOperationList) {
            List<String> labels = null;
            for (Select s : ((SetOperationList) sel).getSelects()) {
                List<String> l = select(s, base);
                if (labels == null) {
                    labels = l;
                }
            }
            return labels;
        }
        if (sel instanceof ParenthesedSelect) {
            return select(((ParenthesedSelect) sel).getSelect(), base);
        }
        if (sel instanceof Values) {
            bind(((Values) sel).getExpressions(), base);
            return null;
        }
        Migration m = anyMigratedTable(sel);
        if (m != null) {
            throw new RewriteRejected(m, "this form of query is not supported on a migrated table");
        }
        return null;
    }

    private Scope withItems(List<WithItem<?>> items, Scope parent) throws RewriteRejected {
        Scope base = new Scope(parent);
        if (items == null) {
            return base;
        }
        for (WithItem<?> w : items) {
            Object body = w.getParenthesedStatement();
            if (body instanceof ParenthesedSelect) {
                select(((ParenthesedSelect) body).getSelect(), base);
            } else if (body instanceof ParenthesedInsert) {
                insert(((ParenthesedInsert) body).getInsert(), base);
            } else if (body instanceof ParenthesedUpdate) {
                update(((ParenthesedUpdate) body).getUpdate(), base);
            } else if (body instanceof ParenthesedDelete) {
                delete(((ParenthesedDelete) body).getDelete(), base);
            } else if (body instanceof Statement) {
                Migration m = anyMigratedTable((Statement) body);
                if (m != null) {
                    throw new RewriteRejected(m, "data-modifying CTEs on a migrated table are not supported");
                }
            }
            base.ctes.add(d.canonical(w.getAliasName()));
        }
        return base;
    }

    private List<String> plainSelect(PlainSelect ps, Scope parent) throws RewriteRejected {
        Scope scope = new Scope(parent);
        addFromItem(scope, ps.getFromItem(), false);
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                addFromItem(scope, j.getFromItem(), false);
                if (j.isNatural() || (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty())) {
                    scope.mergesColumns = true;
                    checkUsing(scope, j.isNatural() ? null : j.getUsingColumns());
                    if (!j.isNatural()) {
                        for (Column c : j.getUsingColumns()) {
                            scope.usingColumns.add(d.canonical(c.getColumnName()));
                        }
                    }
                }
            }
        }
        List<String> labels = selectItems(ps.getSelectItems(), scope, ps == outermost);
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                for (Expression on : j.getOnExpressions()) {
                    bind(on, scope);
                }
            }
        }
        bind(ps.getWhere(), scope);
        if (ps.getGroupBy() != null) {
            bind(ps.getGroupBy().getGroupByExpressionList(), scope);
        }
        bind(ps.getHaving(), scope);
        bind(ps.getQualify(), scope);
        if (ps.getDistinct() != null && ps.getDistinct().getOnSelectItems() != null) {
            for (SelectItem<?> item : ps.getDistinct().getOnSelectItems()) {
                bind(item.getExpression(), scope);
            }
        }
        orderBy(ps.getOrderByElements(), scope, labels);
        return labels;
    }

    private void checkUsing(Scope scope, List<Column> using) throws RewriteRejected {
        for (Source s : scope.sources) {
            for (Bound b : s.rules) {
                if (!b.newSide) {
                    continue;
                }
                if (using == null) {
                    // Its join columns are the common names, which change once a migrated column is read
                    // from (or renamed to) the new side.
                    throw new RewriteRejected(b.migration, "NATURAL JOIN with a migrated table is not supported"
                            + " while the new side is read; write the join condition with ON");
                }
                for (Column c : using) {
                    if (d.canonical(c.getColumnName()).equals(d.canonical(b.rule.column()))) {
                        throw new RewriteRejected(b.migration, "JOIN ... USING (" + c.getColumnName()
                                + ") on a migrated column is not supported; write the join condition with ON");
                    }
                }
            }
        }
    }

    private void addFromItem(Scope scope, FromItem item, boolean writeTarget) throws RewriteRejected {
        if (item == null) {
            return;
        }
        if (item instanceof Table) {
            scope.sources.add(tableSource((Table) item, scope, writeTarget));
        } else if (item instanceof ParenthesedSelect) {
            ParenthesedSelect ps = (ParenthesedSelect) item;
            List<String> labels = select(ps.getSelect(), scope);
            String alias = ps.getAlias() == null ? "" : ps.getAlias().getName();
            scope.sources.add(new Source(d.canonical(alias), alias, null, List.of(), labels == null
                    || labels.contains(null) || (ps.getAlias() != null && ps.getAlias().getAliasColumns() != null)
                    ? null : labels));
        } else if (item instanceof ParenthesedFromItem) {
            ParenthesedFromItem p = (ParenthesedFromItem) item;
            addFromItem(scope, p.getFromItem(), writeTarget);
            if (p.getJoins() != null) {
                for (Join j : p.getJoins()) {
                    addFromItem(scope, j.getFromItem(), writeTarget);
                    for (Expression on : j.getOnExpressions()) {
                        bind(on, scope);
                    }
                }
            }
        } else {
            String alias = item.getAlias() == null ? "" : item.getAlias().getName();
            scope.sources.add(new Source(d.canonical(alias), alias, null, List.of(), null));
            if (item instanceof Expression) {
                bind((Expression) item, scope);
            }
        }
    }

    /** Binds select items, keeping labels; expands {@code *} where a migrated table reads new. */
    private List<String> selectItems(List<SelectItem<?>> items, Scope scope, boolean outermost)
            throws RewriteRejected {
        List<String> labels = new ArrayList<>();
        List<SelectItem<?>> rebuilt = new ArrayList<>();
        boolean expanded = false;
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            Expression e = item.getExpression();
            if (e instanceof AllTableColumns || e instanceof AllColumns) {
                List<SelectItem<?>> star = expandStar(scope,
                        e instanceof AllTableColumns ? ((AllTableColumns) e).getTable() : null,
                        outermost && i == items.size() - 1);
                if (star != null) {
                    rebuilt.addAll(star);
                    expanded = true;
                } else {
                    rebuilt.add(item);
                }
                labels.add(null);
                continue;
            }
            rebuilt.add(item);
            Column labelColumn = item.getAlias() == null ? labelColumn(e) : null;
            String labelName = labelColumn == null ? null : labelColumn.getColumnName();
            // MySQL labels an unaliased expression with its text (as the server sees it: placeholders as ?).
            String mysqlLabel = d == Dialect.MYSQL && item.getAlias() == null && labelColumn == null
                    ? e.toString().replaceAll("\\?\\d+", "?") : null;
            labels.add(item.getAlias() != null ? d.canonical(item.getAlias().getName())
                    : labelName != null ? d.canonical(labelName) : null);
            int before = rewrites;
            bind(e, scope);
            if (rewrites != before && item.getAlias() == null) {
                if (labelName != null) {
                    setAlias(item, labelName);
                } else if (mysqlLabel != null) {
                    setAlias(item, d.quote(mysqlLabel));
                }
            }
        }
        if (expanded) {
            items.clear();
            items.addAll(rebuilt);
        }
        return labels;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setAlias(SelectItem item, String name) {
        item.setAlias(new Alias(name, true));
    }

    /** The column whose name becomes the result label of an unaliased item (through casts). */
    private static Column labelColumn(Expression e) {
        while (true) {
            if (e instanceof CastExpression) {
                e = ((CastExpression) e).getLeftExpression();
            } else if (e instanceof ParenthesedExpressionList && ((ParenthesedExpressionList<?>) e).size() == 1) {
                e = (Expression) ((ParenthesedExpressionList<?>) e).get(0);
            } else {
                return e instanceof Column ? (Column) e : null;
            }
        }
    }

    /**
     * Expands a {@code *} over a migrated table into the application's columns, or returns null when the
     * star can stay. It must be expanded where the new side is read, and wherever columns the migration
     * added would otherwise shift the columns after them: anywhere but at the very end of the outermost
     * result (a join, a later select item, a subquery, a UNION branch, an INSERT ... SELECT).
     */
    private List<SelectItem<?>> expandStar(Scope scope, Table qualifier, boolean atEndOfResult)
            throws RewriteRejected {
        List<Source> targets = new ArrayList<>();
        for (Source s : scope.sources) {
            if (qualifier == null || s.exposed.equals(d.canonical(qualifier.getName()))) {
                targets.add(s);
            }
        }
        boolean migrated = false;
        boolean readsNew = false;
        for (Source s : targets) {
            migrated |= s.move != null;
            readsNew |= s.redirected;
            for (Bound b : s.rules) {
                migrated = true;
                readsNew |= b.newSide;
            }
        }
        if (!migrated || (!readsNew && atEndOfResult && targets.size() == 1)) {
            return null;
        }
        if (qualifier == null && scope.mergesColumns) {
            throw new RewriteRejected(targets.get(0).rules.get(0).migration,
                    "SELECT * over a JOIN ... USING or NATURAL JOIN with a migrated table is not supported");
        }
        List<SelectItem<?>> out = new ArrayList<>();
        for (Source s : targets) {
            if (s.redirected) {
                out.addAll(movedStar(s));
                continue;
            }
            if (s.rules.isEmpty()) {
                out.add(new SelectItem<>(raw(s.qualifierSql + ".*")));
                continue;
            }
            List<String> cols = columnsOf(s.table);
            if (cols == null) {
                throw new RewriteRejected(s.rules.get(0).migration, "SELECT * on " + s.table
                        + " needs the table's columns, which are unknown here; list the columns");
            }
            Set<String> present = new HashSet<>();
            for (String c : cols) {
                present.add(d.reported(c));
            }
            for (String c : cols) {
                String canon = d.reported(c);
                Bound asOld = s.ruleForOld(canon, d);
                Bound asNew = s.ruleForNew(canon, d);
                if (asOld != null && asOld.newSide) {
                    out.add(readItem(s, asOld, d.quote(c)));
                } else if (asNew != null && !present.contains(d.canonical(asNew.rule.column()))) {
                    out.add(readItem(s, asNew, asNew.rule.column()));
                } else if (asNew != null) {
                    markChanged(); // a column the migration added: hidden, so the columns after it keep their places
                } else {
                    out.add(new SelectItem<>(raw(s.qualifierSql + "." + d.quote(c))));
                }
            }
            for (Bound b : s.rules) {
                if (b.newSide && !present.contains(d.canonical(b.rule.column()))
                        && !present.contains(d.canonical(b.rule.to()))) {
                    throw new RewriteRejected(b.migration, "neither " + b.rule.column() + " nor " + b.rule.to()
                            + " exists in " + s.table);
                }
            }
        }
        return out;
    }

    private SelectItem<?> readItem(Source s, Bound b, String label) {
        markChanged();
        readNew = true;
        return new SelectItem<>(raw(newSideSql(s, b)), new Alias(label, true));
    }

    private List<String> columnsOf(Table t) {
        if (t == null) {
            return null;
        }
        String schema = t.getSchemaName() == null ? null : d.canonical(t.getSchemaName());
        return catalog.columns(schema, d.canonical(t.getName()));
    }

    private void orderBy(List<OrderByElement> elements, Scope scope, List<String> labels) throws RewriteRejected {
        if (elements == null) {
            return;
        }
        for (OrderByElement o : elements) {
            Expression e = o.getExpression();
            // A bare name that is an output label refers to the output column, whose label we keep.
            if (e instanceof Column && ((Column) e).getTable() == null && labels != null
                    && labels.contains(d.canonical(((Column) e).getColumnName()))) {
                continue;
            }
            bind(e, scope);
        }
    }

    // --- INSERT ----------------------------------------------------------------------------------

    private void insert(Insert ins, Scope parent) throws RewriteRejected {
        writes = true;
        Scope base = withItems(ins.getWithItemsList(), parent);
        Source target = tableSource(ins.getTable(), base, true);
        MoveWrite move = moveWrite(target, ins);
        ReturningClause returning = ins.getReturningClause();
        if (move != null) {
            ins.setReturningClause(null);
        }
        Select source = ins.getSelect();
        if (!target.rules.isEmpty()) {
            if (ins.isUseSet()) {
                assignments(ins.getSetUpdateSets(), target, List.of(target));
            } else if (source != null) {
                insertColumns(ins, target, source);
            } // else DEFAULT VALUES: every column gets its default, the new ones included
        }
        if (source instanceof Values) {
            Scope rowScope = base;
            if (d == Dialect.MYSQL) {
                // MySQL lets a value refer to a column set earlier in the same row.
                rowScope = new Scope(base);
                rowScope.sources.add(target);
            }
            bind(((Values) source).getExpressions(), rowScope);
        } else if (source != null) {
            select(source, base);
        }
        Scope targetScope = new Scope(base);
        targetScope.sources.add(target);
        if (ins.getRowAlias() != null) {
            // MySQL 8: INSERT ... AS new ON DUPLICATE KEY UPDATE c = new.c names the inserted row.
            String alias = ins.getRowAlias().getName();
            targetScope.sources.add(new Source(d.canonical(alias), alias, ins.getTable(), target.rules, null, true));
        }
        if (ins.getConflictAction() != null) {
            Source excluded = new Source("excluded", "excluded", ins.getTable(), target.rules, null, true);
            targetScope.sources.add(excluded);
            if (ins.getConflictAction().getUpdateSets() != null) {
                assignments(ins.getConflictAction().getUpdateSets(), target, targetScope.sources);
            }
            bind(ins.getConflictAction().getWhereExpression(), targetScope);
        }
        if (ins.getConflictTarget() != null) {
            conflictTarget(ins, target);
        }
        if (ins.getDuplicateUpdateSets() != null) {
            assignments(ins.getDuplicateUpdateSets(), target, targetScope.sources);
        }
        if (ins.getReturningClause() != null) {
            Scope returningScope = new Scope(base);
            returningScope.sources.add(target);
            selectItems(ins.getReturningClause(), returningScope, true);
        }
        if (move != null && d == Dialect.POSTGRESQL) {
            wrapped = move.upsert(ins.toString(), "*", aliasOf(target), movedReturning(returning, target));
            dualWrite = true;
            markChanged();
        } else if (move != null) {
            mysqlInsert(ins, target, move);
        }
    }

    /**
     * MySQL: mirrors an INSERT into a moved table with statements after it (and, for INSERT ... SELECT,
     * before it). Upserting a row that did not change is harmless, so the conditions may select more rows
     * than the INSERT wrote, never fewer.
     */
    private void mysqlInsert(Insert ins, Source target, MoveWrite move) throws RewriteRejected {
        Migration m = target.move;
        if (ins.isUseSet()) {
            throw new RewriteRejected(m, "INSERT ... SET into a moved table is not supported on MySQL while both tables"
                    + " are written; use INSERT ... VALUES");
        }
        InsertRows rows = InsertRows.of(ins.getSelect(), d);
        if (rows == null) {
            throw new RewriteRejected(m, "this INSERT source is not supported for a moved table on MySQL");
        }
        ExpressionList<Column> cols = ins.getColumns();
        if (cols == null || cols.isEmpty()) {
            cols = applicationColumns(target, rows.width());
            ins.setColumns(cols);
        }
        List<String> key = keyOf(target);
        int[] at = positions(cols, key);
        String assignedKey = ins.getDuplicateUpdateSets() == null ? null : assignedKey(ins.getDuplicateUpdateSets(), key);
        if (assignedKey != null) {
            throw new RewriteRejected(m, "ON DUPLICATE KEY UPDATE may not change key column " + assignedKey
                    + " of a moved table");
        }
        if (!rows.isValues()) {
            mysqlInsertSelect(ins, target, move, key, at);
            return;
        }
        List<String> conditions = new ArrayList<>();
        if (at != null) {
            conditions.add(tuplesIn(key, at, rows, m));
        } else if (key.size() == 1) {
            conditions.add(MoveWrite.ROWS + "." + d.quote(key.get(0)) + " BETWEEN LAST_INSERT_ID() AND LAST_INSERT_ID() + "
                    + (rows.size() - 1));
        } else {
            throw new RewriteRejected(m, "on MySQL, an INSERT into a moved table must give every key column while both"
                    + " tables are written");
        }
        if (ins.getDuplicateUpdateSets() != null) {
            // The row an ON DUPLICATE KEY UPDATE changed is the one some unique index matched.
            String schema = target.oldTable.getSchemaName() == null ? null : d.canonical(target.oldTable.getSchemaName());
            List<List<String>> unique = catalog.uniqueKeys(schema, d.canonical(target.oldTable.getName()));
            if (unique == null) {
                throw new RewriteRejected(m, "the unique indexes of " + target.oldTable + " are unknown");
            }
            for (List<String> index : unique) {
                int[] p = positions(cols, index);
                if (p == null) {
                    throw new RewriteRejected(m, "ON DUPLICATE KEY UPDATE on a moved table must give every column of"
                            + " each unique index (" + String.join(", ", index) + ") while both tables are written");
                }
                conditions.add(tuplesIn(index, p, rows, m));
            }
        }
        after.add(move.upsertWhere(target.oldTable.toString(), String.join(" OR ", conditions)));
        dualWrite = true;
        markChanged();
    }

    /** INSERT ... SELECT: keep the keys the query yields, insert exactly those, then upsert them. */
    private void mysqlInsertSelect(Insert ins, Source target, MoveWrite move, List<String> key, int[] at)
            throws RewriteRejected {
        Migration m = target.move;
        PlainSelect ps = ins.getSelect() instanceof PlainSelect ? (PlainSelect) ins.getSelect() : null;
        if (at == null || ps == null || ins.getDuplicateUpdateSets() != null || ps.getDistinct() != null
                || ps.getGroupBy() != null || ps.getLimit() != null || ps.getWithItemsList() != null) {
            throw new RewriteRejected(m, "on MySQL, INSERT ... SELECT into a moved table needs the key columns in its"
                    + " column list and a plain query (no DISTINCT, GROUP BY, LIMIT or ON DUPLICATE KEY UPDATE)"
                    + " while both tables are written");
        }
        List<String> exprs = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            Expression e = ps.getSelectItems().get(at[i]).getExpression();
            repeatable(e, m, key.get(i), "key value");
            exprs.add(e.toString());
            named.add(e + " AS " + d.quote(key.get(i)));
        }
        StringBuilder from = new StringBuilder(String.valueOf(ps.getFromItem()));
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                from.append(j.isSimple() ? ", " : " ").append(j);
            }
        }
        String where = ps.getWhere() == null ? "TRUE" : ps.getWhere().toString();
        before.addAll(move.lockKeys("SELECT " + String.join(", ", named) + " FROM " + from + " WHERE " + where
                + " FOR UPDATE"));
        ps.setWhere(raw("(" + where + ") AND (" + String.join(", ", exprs) + ") IN (SELECT * FROM " + MoveWrite.KEYS
                + ")"));
        after.add(move.upsertLocked(target.oldTable.toString()));
        after.add(MoveWrite.dropKeys());
        dualWrite = true;
        markChanged();
    }

    /** Where each of {@code names} stands in an INSERT's column list; null when one is missing. */
    private int[] positions(List<Column> cols, List<String> names) {
        int[] at = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            at[i] = indexOf(cols, names.get(i));
            if (at[i] < 0) {
                return null;
            }
        }
        return at;
    }

    /** {@code (dualwrite_rows.a, ...) IN ((row 1 values), ...)} for the given columns of VALUES rows. */
    private String tuplesIn(List<String> names, int[] at, InsertRows rows, Migration m) throws RewriteRejected {
        List<String> refs = new ArrayList<>();
        for (String n : names) {
            refs.add(MoveWrite.ROWS + "." + d.quote(n));
        }
        List<String> tuples = new ArrayList<>();
        for (int row = 0; row < rows.size(); row++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                values.add(repeatable(rows.get(row, at[i]), m, names.get(i), "key value"));
            }
            tuples.add("(" + String.join(", ", values) + ")");
        }
        return "(" + String.join(", ", refs) + ") IN (" + String.join(", ", tuples) + ")";
    }

    /** The FROM text of a MySQL multi-table write, for the locking SELECT (explicit joins only). */
    private static String fromWithJoins(Table table, List<Join> joins, Migration m) throws RewriteRejected {
        StringBuilder from = new StringBuilder(table.toString());
        if (joins != null) {
            for (Join j : joins) {
                if (j.isSimple()) {
                    throw new RewriteRejected(m, "a comma join in a write to a moved table is not supported while both"
                            + " tables are written; use JOIN ... ON");
                }
                from.append(' ').append(j);
            }
        }
        return from.toString();
    }

    /** MySQL: lock the rows a write will touch and keep their keys; restrict the write to them. */
    private void lockAndRestrict(Source target, MoveWrite move, String from, Expression where,
            List<OrderByElement> orderBy, Object limit, java.util.function.Consumer<Expression> setWhere) {
        List<String> keys = new ArrayList<>();
        for (String k : keyOf(target)) {
            keys.add(aliasOf(target) + "." + d.quote(k));
        }
        String keyList = String.join(", ", keys);
        String condition = where == null ? "TRUE" : where.toString();
        StringBuilder lock = new StringBuilder("SELECT ").append(keyList).append(" FROM ").append(from)
                .append(" WHERE ").append(condition);
        if (orderBy != null && !orderBy.isEmpty()) {
            List<String> order = new ArrayList<>();
            for (OrderByElement o : orderBy) {
                order.add(o.toString());
            }
            lock.append(" ORDER BY ").append(String.join(", ", order));
        }
        if (limit != null) {
            lock.append(' ').append(limit);
        }
        before.addAll(move.lockKeys(lock.append(" FOR UPDATE").toString()));
        setWhere.accept(raw("(" + condition + ") AND (" + keyList + ") IN (SELECT * FROM " + MoveWrite.KEYS + ")"));
        dualWrite = true;
        markChanged();
    }

    // --- table moves: writes while both tables are written ------------------------------------------

    /** The mirror of a write on a moved table during expand/migrate, or null when there is none. */
    private MoveWrite moveWrite(Source target, Statement st) throws RewriteRejected {
        Migration m = target.move;
        if (m == null || !m.phase().dualWrites()) {
            return null;
        }
        if (st != outermost) {
            throw new RewriteRejected(m, "a write to a moved table inside another statement is not supported while"
                    + " both tables are written");
        }
        List<String> cols = columnsOf(target.oldTable);
        if (cols == null) {
            throw new RewriteRejected(m, "the columns of " + target.oldTable + " are unknown here");
        }
        List<String> key = keyOf(target);
        if (key == null || key.isEmpty()) {
            throw new RewriteRejected(m, target.oldTable + " has no primary key; give the rule a key");
        }
        return new MoveWrite(m, d, cols, key);
    }

    /** A column of the old row a mirrored write produced, looked up by key (see {@link Source#rowsLookup}). */
    private static String oldRowValue(Source s, String column) {
        return "(SELECT " + MoveWrite.ROWS + "." + column + " " + s.rowsLookup + ")";
    }

    /** The name the statement uses for its target: its alias, else its table name. */
    private static String aliasOf(Source target) {
        Alias a = target.table.getAlias();
        return a != null ? a.getName() : target.oldTable.getName();
    }

    /** The application's RETURNING, read from the new table in the old shape; null when there is none. */
    private String movedReturning(ReturningClause returning, Source target) throws RewriteRejected {
        if (returning == null) {
            return null;
        }
        Migration m = target.move;
        List<Bound> bounds = new ArrayList<>();
        for (ColumnRule c : m.columns()) {
            bounds.add(new Bound(m, c, true));
        }
        Source fresh = new Source(target.exposed, aliasOf(target), new Table(m.toTable().schema(),
                m.toTable().name()), bounds, null);
        fresh.move = m;
        fresh.oldTable = target.oldTable;
        fresh.redirected = true;
        if (m.phase().dualWrites()) {
            // The application gets the old table's row, exactly (dropped columns too): read it back from
            // the rows the write returned, matched by key.
            List<String> match = new ArrayList<>();
            for (String k : keyOf(target)) {
                Bound r = target.ruleForOld(d.reported(k), d);
                match.add(MoveWrite.ROWS + "." + d.quote(k) + " = " + aliasOf(target) + "."
                        + (r == null ? d.quote(k) : r.rule.to()));
            }
            fresh.rowsLookup = "FROM " + MoveWrite.ROWS + " WHERE " + String.join(" AND ", match);
        }
        Scope scope = new Scope(null);
        scope.sources.add(fresh);
        selectItems(returning, scope, true);
        List<String> items = new ArrayList<>();
        for (SelectItem<?> item : returning) {
            items.add(item.toString());
        }
        return "RETURNING " + String.join(", ", items);
    }

    private void conflictTarget(Insert ins, Source target) throws RewriteRejected {
        List<String> names = ins.getConflictTarget().getIndexColumnNames();
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            Bound b = target.ruleForOld(d.canonical(names.get(i)), d);
            if (b != null && b.migration.phase() == Phase.CONTRACT) {
                if (!b.rule.isRename()) {
                    throw new RewriteRejected(b.migration, "ON CONFLICT (" + names.get(i) + ") on a transformed"
                            + " column is not supported in contract; name the constraint instead");
                }
                // The unique index the conflict target infers is now on the new column.
                names.set(i, b.rule.to());
                markChanged();
            }
        }
    }

    /** Adds mirror columns to an INSERT's column list and rows, or retargets them in contract. */
    private void insertColumns(Insert ins, Source target, Select source) throws RewriteRejected {
        InsertRows rows = InsertRows.of(source, d);
        ExpressionList<Column> cols = ins.getColumns();
        if (cols == null || cols.isEmpty()) {
            cols = applicationColumns(target, rows == null ? -1 : rows.width());
            ins.setColumns(cols);
        }
        if (rows == null) {
            throw new RewriteRejected(target.rules.get(0).migration,
                    "this INSERT source (" + source.getClass().getSimpleName() + ") is not supported on a migrated"
                            + " table");
        }
        for (Bound b : distinctRules(target.rules)) {
            ColumnRule r = b.rule;
            int pOld = indexOf(cols, r.column());
            int pNew = indexOf(cols, r.to());
            Phase phase = b.migration.phase();
            if (phase.dualWrites() && !b.migration.isTableMove()) {
                if (pOld >= 0 && pNew < 0) {
                    cols.add(raw(r.to()));
                    for (int row = 0; row < rows.size(); row++) {
                        String value = d == Dialect.MYSQL && rows.isValues()
                                ? cols.get(pOld).getColumnName()
                                : repeatable(rows.get(row, pOld), b, "INSERT value");
                        rows.append(row, expression(ColumnSql.toNew(r, value, d), b));
                    }
                    dualWrite = true;
                    markChanged();
                } else if (pNew >= 0 && pOld < 0) {
                    cols.add(raw(r.column()));
                    for (int row = 0; row < rows.size(); row++) {
                        String value = d == Dialect.MYSQL && rows.isValues()
                                ? cols.get(pNew).getColumnName()
                                : repeatable(rows.get(row, pNew), b, "INSERT value");
                        rows.append(row, expression(ColumnSql.toOld(r, value, d), b));
                    }
                    dualWrite = true;
                    markChanged();
                }
            } else if (phase == Phase.CONTRACT && pOld >= 0 && r.drop()) {
                cols.remove(pOld); // the new table has no such column: the value is not kept
                for (int row = 0; row < rows.size(); row++) {
                    rows.remove(row, pOld);
                }
                markChanged();
            } else if (phase == Phase.CONTRACT && pOld >= 0) {
                if (!rows.isValues() && !r.isRename() && source instanceof PlainSelect && reordersOrFilters(
                        (PlainSelect) source)) {
                    throw new RewriteRejected(b.migration, "INSERT ... SELECT with ORDER BY, DISTINCT, GROUP BY or"
                            + " LIMIT would see the transformed value of " + r.column() + "; select from a subquery");
                }
                if (pNew >= 0) {
                    throw new RewriteRejected(b.migration, "the INSERT names both " + r.column() + " and " + r.to());
                }
                cols.set(pOld, raw(r.to()));
                for (int row = 0; row < rows.size(); row++) {
                    Expression v = rows.get(row, pOld);
                    String value = ColumnSql.repeats(r, true) > 1 ? repeatable(v, b, "INSERT value") : plain(v, b);
                    rows.set(row, pOld, expression(ColumnSql.toNew(r, value, d), b));
                }
                markChanged();
            }
        }
    }

    private static boolean reordersOrFilters(PlainSelect ps) {
        return ps.getOrderByElements() != null || ps.getDistinct() != null || ps.getGroupBy() != null
                || ps.getLimit() != null || ps.getOffset() != null || ps.getFetch() != null;
    }

    /**
     * The column list an INSERT without one means: the table's columns in database order as the
     * application knows them. A new column whose old column still exists is the driver's business and
     * hidden; once the old column is gone, the new one stands in for it under the old name.
     */
    private ExpressionList<Column> applicationColumns(Source target, int width) throws RewriteRejected {
        Migration m = target.move != null ? target.move : target.rules.get(0).migration;
        if (target.move != null && columnsOf(target.oldTable) == null) {
            throw new RewriteRejected(m, "INSERT without a column list into " + target.oldTable + " after the table"
                    + " was moved away: its column order is no longer known; list the columns");
        }
        List<String> dbCols = target.move != null ? applicationColumnsOfMove(target) : columnsOf(target.table);
        if (dbCols == null) {
            throw new RewriteRejected(m, "INSERT without a column list needs the columns of " + target.table
                    + ", which are unknown here; list the columns");
        }
        Set<String> present = new HashSet<>();
        for (String c : dbCols) {
            present.add(d.reported(c));
        }
        for (Bound b : target.rules) {
            if (target.move == null && !present.contains(d.canonical(b.rule.column()))) {
                // The new column sits where ALTER TABLE put it, not where the old one was: a positional
                // value would land in the wrong column.
                throw new RewriteRejected(b.migration, "INSERT without a column list after " + b.rule.column()
                        + " was dropped: the application's column order is no longer known; list the columns");
            }
        }
        ExpressionList<Column> out = new ParenthesedExpressionList<>();
        for (String c : dbCols) {
            Bound asNew = target.ruleForNew(d.reported(c), d);
            if (asNew != null && present.contains(d.canonical(asNew.rule.column()))) {
                continue;
            }
            out.add(new Column(asNew != null ? asNew.rule.column() : d.quote(c)));
        }
        if (width > out.size()) {
            throw new RewriteRejected(m, "the INSERT gives " + width + " values but " + target.table + " has "
                    + out.size() + " columns");
        }
        if (width >= 0 && d == Dialect.POSTGRESQL) {
            // PostgreSQL gives the trailing columns without a value their defaults; MySQL refuses, and
            // keeping the whole list lets it refuse the same way.
            while (out.size() > width) {
                out.remove(out.size() - 1);
            }
        }
        return out;
    }

    /** MySQL REPLACE (and other upserts) have an INSERT's shape: rewrite them as one. */
    private void upsert(Upsert up) throws RewriteRejected {
        writes = true;
        Insert ins = new Insert();
        ins.setTable(up.getTable());
        ins.setColumns(up.getColumns());
        ins.setSelect(up.getSelect());
        if (up.getUpdateSets() != null && !up.getUpdateSets().isEmpty()) {
            ins.withSetUpdateSets(up.getUpdateSets());
        }
        if (up.getDuplicateUpdateSets() != null && !up.getDuplicateUpdateSets().isEmpty()) {
            ins.withDuplicateUpdateSets(up.getDuplicateUpdateSets());
        }
        insert(ins, null);
        up.setColumns(ins.getColumns());
    }

    private int indexOf(List<Column> cols, String name) {
        if (name == null) {
            return -1;
        }
        String c = d.canonical(name);
        for (int i = 0; i < cols.size(); i++) {
            if (d.canonical(cols.get(i).getColumnName()).equals(c)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Bound> distinctRules(List<Bound> bounds) {
        List<Bound> out = new ArrayList<>();
        Set<ColumnRule> seen = new HashSet<>();
        for (Bound b : bounds) {
            if (seen.add(b.rule)) {
                out.add(b);
            }
        }
        return out;
    }

    // --- UPDATE / assignments --------------------------------------------------------------------

    private void update(Update up, Scope parent) throws RewriteRejected {
        writes = true;
        Scope base = withItems(up.getWithItemsList(), parent);
        Scope scope = new Scope(base);
        Source target = tableSource(up.getTable(), scope, true);
        scope.sources.add(target);
        MoveWrite move = moveWrite(target, up);
        ReturningClause returning = up.getReturningClause();
        if (move != null) {
            up.setReturningClause(null);
            keyNotAssigned(up, target);
        }
        if (up.getStartJoins() != null) {
            for (Join j : up.getStartJoins()) {
                addFromItem(scope, j.getFromItem(), d == Dialect.MYSQL);
            }
        }
        addFromItem(scope, up.getFromItem(), false);
        if (up.getJoins() != null) {
            for (Join j : up.getJoins()) {
                addFromItem(scope, j.getFromItem(), false);
            }
        }
        assignments(up.getUpdateSets(), target, scope.sources);
        for (List<Join> joins : java.util.Arrays.asList(up.getStartJoins(), up.getJoins())) {
            if (joins != null) {
                for (Join j : joins) {
                    for (Expression on : j.getOnExpressions()) {
                        bind(on, scope);
                    }
                }
            }
        }
        bind(up.getWhere(), scope);
        orderBy(up.getOrderByElements(), scope, null);
        if (up.getReturningClause() != null) {
            selectItems(up.getReturningClause(), scope, true);
        }
        if (up.getUpdateSets().isEmpty()) {
            // Every assignment was to a column the move drops: keep the statement (and its count) alive.
            List<String> cols = columnsOf(target.table);
            if (cols == null) {
                throw new RewriteRejected(target.move, "the UPDATE assigns only dropped columns");
            }
            up.getUpdateSets().add(new UpdateSet(new Column(d.quote(cols.get(0))), new Column(d.quote(cols.get(0)))));
        }
        if (move != null && d == Dialect.POSTGRESQL) {
            wrapped = move.upsert(up.toString(), aliasOf(target) + ".*", aliasOf(target),
                    movedReturning(returning, target));
            dualWrite = true;
            markChanged();
        } else if (move != null) {
            String from = fromWithJoins(up.getTable(), up.getStartJoins(), target.move);
            lockAndRestrict(target, move, from, up.getWhere(), up.getOrderByElements(), up.getLimit(),
                    up::setWhere);
            after.add(move.upsertLocked(target.oldTable.toString()));
            after.add(MoveWrite.dropKeys());
        }
    }

    /** A mirrored UPDATE may not change the key: the new table's row would be left behind. */
    private void keyNotAssigned(Update up, Source target) throws RewriteRejected {
        List<String> key = keyOf(target);
        String assigned = key == null ? null : assignedKey(up.getUpdateSets(), key);
        if (assigned != null) {
            throw new RewriteRejected(target.move, "the UPDATE changes key column " + assigned + " of a moved"
                    + " table while both tables are written");
        }
    }

    /** The first key column (as the database reports it) that a SET list assigns, or null. */
    private String assignedKey(List<UpdateSet> sets, List<String> key) {
        for (UpdateSet us : sets) {
            for (Column c : us.getColumns()) {
                for (String k : key) {
                    if (d.canonical(c.getColumnName()).equals(d.reported(k))) {
                        return k;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Handles SET lists (UPDATE, ON CONFLICT DO UPDATE, ON DUPLICATE KEY UPDATE, INSERT ... SET):
     * mirrors assignments to migrated columns, then binds the assigned values.
     */
    private void assignments(List<UpdateSet> sets, Source target, List<Source> visible) throws RewriteRejected {
        Scope scope = new Scope(null);
        scope.sources.addAll(visible);
        for (int i = 0; i < sets.size(); i++) {
            UpdateSet us = sets.get(i);
            ExpressionList<Column> cols = us.getColumns();
            @SuppressWarnings("unchecked")
            ExpressionList<Expression> vals = (ExpressionList<Expression>) us.getValues();
            // First decide, on the values as written (whether they may be repeated)...
            Bound[] mirror = new Bound[cols.size()];
            Bound[] retarget = new Bound[cols.size()];
            for (int j = 0; j < cols.size(); j++) {
                Column col = cols.get(j);
                Source owner = assignedSource(col, target, visible);
                if (owner == null || owner.rules.isEmpty()) {
                    continue;
                }
                String name = d.canonical(col.getColumnName());
                Bound asOld = owner.ruleForOld(name, d);
                Bound b = asOld != null ? asOld : owner.ruleForNew(name, d);
                if (b == null) {
                    continue;
                }
                ColumnRule r = b.rule;
                Phase phase = b.migration.phase();
                boolean dual = phase.dualWrites() && !b.migration.isTableMove()
                        && !assigns(sets, owner, asOld != null ? r.to() : r.column(), visible, target);
                if (!dual && !(phase == Phase.CONTRACT && asOld != null)) {
                    continue; // untouched, or the application writes both columns itself
                }
                if (phase == Phase.CONTRACT && asOld != null && r.to() != null
                        && assigns(sets, owner, r.to(), visible, target)) {
                    throw new RewriteRejected(b.migration, "the statement assigns both " + r.column() + " and "
                            + r.to() + ", which are one column in contract");
                }
                if (vals == null || vals.size() != cols.size()) {
                    throw new RewriteRejected(b.migration, "a row assignment from a subquery to "
                            + col.getColumnName() + " is not supported");
                }
                if (!dual && r.drop()) {
                    if (cols.size() > 1) {
                        throw new RewriteRejected(b.migration, "a row assignment including the dropped column "
                                + r.column() + " is not supported");
                    }
                    retarget[j] = b;
                    continue;
                }
                if (dual || ColumnSql.repeats(r, true) > 1) {
                    repeatable(vals.get(j), b, "assigned value");
                } else {
                    plain(vals.get(j), b);
                }
                (dual ? mirror : retarget)[j] = b;
            }
            // MySQL assigns left to right in a single-table UPDATE: a mirror placed before the original
            // changes what the original reads if the value reads the mirror's column; placed after, the
            // mirror reads the original's new value if the value reads the original's column.
            boolean[] mirrorAfter = new boolean[cols.size()];
            for (int j = 0; j < cols.size(); j++) {
                if (mirror[j] == null || d != Dialect.MYSQL) {
                    continue;
                }
                ColumnRule r = mirror[j].rule;
                boolean fromOld = d.canonical(cols.get(j).getColumnName()).equals(d.canonical(r.column()));
                Set<String> reads = ColumnNames.of(vals.get(j), d);
                if (reads.contains(d.canonical(fromOld ? r.to() : r.column()))) {
                    if (reads.contains(d.canonical(cols.get(j).getColumnName()))) {
                        throw new RewriteRejected(mirror[j].migration, "the value assigned to "
                                + cols.get(j).getColumnName() + " reads both " + r.column() + " and " + r.to()
                                + ", so MySQL's left-to-right assignment cannot be mirrored exactly");
                    }
                    mirrorAfter[j] = true;
                }
            }
            // ...then bind the values (reads of migrated columns, MySQL VALUES(col)), and build the writes
            // from the bound values, so a mirror reads exactly what the original assignment reads.
            bind(vals, scope);
            List<UpdateSet> mirrors = new ArrayList<>();
            List<UpdateSet> mirrorsAfter = new ArrayList<>();
            boolean dropped = false;
            for (int j = 0; j < cols.size(); j++) {
                Bound b = mirror[j] != null ? mirror[j] : retarget[j];
                if (b == null) {
                    continue;
                }
                Column col = cols.get(j);
                ColumnRule r = b.rule;
                boolean fromOld = d.canonical(col.getColumnName()).equals(d.canonical(r.column()));
                String qualifier = col.getTable() != null && col.getTable().getName() != null
                        ? col.getTable().getFullyQualifiedName() + "." : "";
                String value = vals.get(j).toString();
                if (r.drop()) {
                    dropped = true; // the new table has no such column: the assignment goes
                    break;
                }
                if (mirror[j] != null) {
                    String mirrored = fromOld ? ColumnSql.toNew(r, value, d) : ColumnSql.toOld(r, value, d);
                    (mirrorAfter[j] ? mirrorsAfter : mirrors).add(new UpdateSet(raw(qualifier + (fromOld ? r.to()
                            : r.column())), raw(mirrored)));
                    dualWrite = true;
                } else {
                    cols.set(j, raw(qualifier + r.to()));
                    vals.set(j, raw(ColumnSql.toNew(r, value, d)));
                }
                markChanged();
            }
            if (dropped) {
                sets.remove(i--);
                markChanged();
                continue;
            }
            // The mirror goes just before the original assignment, with the value repeated: both then see
            // the same row whether the engine assigns left to right (MySQL single-table UPDATE) or from
            // the old row (PostgreSQL, and MySQL multi-table UPDATE, which MariaDB also uses for UPDATEs
            // with subqueries). Referring to the column just set would be wrong in the second case.
            sets.addAll(i, mirrors);
            i += mirrors.size();
            sets.addAll(i + 1, mirrorsAfter);
            i += mirrorsAfter.size();
        }
    }

    private static Migration firstMigration(List<Source> sources) {
        for (Source s : sources) {
            if (!s.rules.isEmpty()) {
                return s.rules.get(0).migration;
            }
        }
        return null;
    }

    private boolean assigns(List<UpdateSet> sets, Source owner, String column, List<Source> visible, Source target)
            throws RewriteRejected {
        String c = d.canonical(column);
        for (UpdateSet us : sets) {
            for (Column col : us.getColumns()) {
                if (d.canonical(col.getColumnName()).equals(c) && assignedSource(col, target, visible) == owner) {
                    return true;
                }
            }
        }
        return false;
    }

    private Source assignedSource(Column col, Source target, List<Source> visible) throws RewriteRejected {
        if (col.getTable() == null || col.getTable().getName() == null) {
            if (d != Dialect.MYSQL) {
                return target; // PostgreSQL assigns only the target's columns
            }
            // MySQL multi-table UPDATE: an unqualified column is whichever joined table has it.
            String name = d.canonical(col.getColumnName());
            Source owner = null;
            for (Source s : visible) {
                if (s.qualifiedOnly) {
                    continue;
                }
                Boolean has = hasColumn(s, name);
                if (has == null || (has && owner != null)) {
                    if (s != target || owner != null) {
                        throw new RewriteRejected(target.move != null ? target.move : firstMigration(visible),
                                "cannot tell which table the assigned column " + col.getColumnName()
                                        + " belongs to; qualify it");
                    }
                }
                if (Boolean.TRUE.equals(has)) {
                    owner = s;
                }
            }
            return owner != null ? owner : target;
        }
        String q = d.canonical(col.getTable().getName());
        for (Source s : visible) {
            if (s.exposed.equals(q)) {
                return s;
            }
        }
        return null;
    }

    // --- DELETE ----------------------------------------------------------------------------------

    private void delete(Delete del, Scope parent) throws RewriteRejected {
        writes = true;
        Scope base = withItems(del.getWithItemsList(), parent);
        Scope scope = new Scope(base);
        Source target = null;
        if (del.getTable() != null) {
            target = tableSource(del.getTable(), scope, true);
            scope.sources.add(target);
        }
        MoveWrite move = target == null ? null : moveWrite(target, del);
        if (move != null && d == Dialect.MYSQL && del.getTables() != null && !del.getTables().isEmpty()
                && (del.getTables().size() > 1 || !d.canonical(del.getTables().get(0).getName()).equals(target.exposed))) {
            throw new RewriteRejected(target.move, "this multi-table DELETE on a moved table is not supported while"
                    + " both tables are written");
        }
        if (move != null && d == Dialect.POSTGRESQL) {
            if ((del.getWithItemsList() != null && !del.getWithItemsList().isEmpty()) || del.getJoins() != null
                    || (del.getTables() != null && !del.getTables().isEmpty())) {
                throw new RewriteRejected(target.move, "this form of DELETE on a moved table is not supported while"
                        + " both tables are written");
            }
            if (del.getWhere() != null && Determinism.offender(del.getWhere()) != null) {
                throw new RewriteRejected(target.move, "the DELETE's condition may change between evaluations ("
                        + Determinism.offender(del.getWhere()) + ")");
            }
        }
        if (del.getUsingFromItemList() != null) {
            for (FromItem f : del.getUsingFromItemList()) {
                addFromItem(scope, f, false);
            }
        }
        if (del.getJoins() != null) {
            for (Join j : del.getJoins()) {
                addFromItem(scope, j.getFromItem(), false);
            }
            for (Join j : del.getJoins()) {
                for (Expression on : j.getOnExpressions()) {
                    bind(on, scope);
                }
            }
        }
        bind(del.getWhere(), scope);
        orderBy(del.getOrderByElements(), scope, null);
        if (del.getReturningClause() != null) {
            selectItems(del.getReturningClause(), scope, true);
        }
        if (move != null && d == Dialect.MYSQL) {
            String from = fromWithJoins(del.getTable(), del.getJoins(), target.move);
            lockAndRestrict(target, move, from, del.getWhere(), del.getOrderByElements(), del.getLimit(),
                    del::setWhere);
            after.add(move.deleteLocked());
            after.add(MoveWrite.dropKeys());
        } else if (move != null) {
            // Lock the rows first, delete exactly those from both tables: one set of keys. The lock is also
            // taken by a statement of its own before: a statement's snapshot predates its lock waits, so a row
            // a concurrent copy (a backfill) put in the new table while this one waited would be invisible to
            // the DELETE of the new table and survive there. After the first statement, it is committed and seen.
            String q = aliasOf(target);
            List<String> keys = new ArrayList<>();
            for (String k : keyOf(target)) {
                keys.add(q + "." + d.quote(k));
            }
            String keyList = String.join(", ", keys);
            StringBuilder lock = new StringBuilder("SELECT ").append(keyList).append(" FROM ").append(del.getTable());
            if (del.getUsingFromItemList() != null) {
                for (FromItem f : del.getUsingFromItemList()) {
                    lock.append(", ").append(f);
                }
            }
            String where = del.getWhere() == null ? "TRUE" : del.getWhere().toString();
            lock.append(" WHERE ").append(where).append(" FOR UPDATE OF ").append(q);
            before.add(lock.toString());
            del.setWhere(raw("(" + where + ") AND (" + keyList + ") IN (SELECT * FROM " + MoveWrite.KEYS + ")"));
            wrapped = move.deleteCtes(lock.toString()) + del;
            dualWrite = true;
            markChanged();
        }
    }

    private List<String> keyOf(Source target) {
        List<String> key = target.move.key();
        if (key.isEmpty()) {
            String schema = target.oldTable.getSchemaName() == null ? null : d.canonical(target.oldTable.getSchemaName());
            key = catalog.primaryKey(schema, d.canonical(target.oldTable.getName()));
        }
        return key;
    }

    // --- binding column references -----------------------------------------------------------------

    private int rewrites;

    private void bind(Expression e, Scope scope) throws RewriteRejected {
        if (e == null) {
            return;
        }
        Binder b = new Binder(scope);
        e.accept(b, null);
        if (b.rejected != null) {
            throw b.rejected;
        }
    }

    private final class Binder extends ExpressionVisitorAdapter<Void> {
        private final Scope scope;
        RewriteRejected rejected;

        Binder(Scope scope) {
            this.scope = scope;
        }

        @Override
        public <S> Void visit(Column col, S context) {
            if (rejected != null) {
                return null;
            }
            try {
                wholeRow(col);
                Source src = resolve(col, scope);
                if (src == null) {
                    return null;
                }
                Bound b = src.ruleForOld(d.canonical(col.getColumnName()), d);
                if (src.rowsLookup != null && (b != null || col.getTable() != null)) {
                    becomeRaw(col, oldRowValue(src, col.getColumnName()));
                    rewrites++;
                } else if (b != null && b.newSide) {
                    if (b.rule.drop()) {
                        throw new RewriteRejected(b.migration, "column " + col.getColumnName() + " is dropped by the"
                                + " move of " + b.migration.table() + " to " + b.migration.toTable()
                                + "; it cannot be read or written once the new table is used");
                    }
                    becomeRaw(col, newSideSql(src, b));
                    rewrites++;
                    markChanged();
                    readNew |= b.migration.phase() != Phase.CONTRACT;
                } else if (src.requalify && col.getTable() != null && col.getTable().getName() != null) {
                    becomeRaw(col, src.qualifierSql + "." + col.getColumnName()); // orders.id -> new_table.id
                    rewrites++;
                }
            } catch (RewriteRejected r) {
                rejected = r;
            }
            return null;
        }

        /**
         * PostgreSQL reads a whole row through a bare table name or alias ({@code row_to_json(u)},
         * {@code SELECT u FROM users u}): its fields would be the new side's, so it is rejected there.
         */
        private void wholeRow(Column col) throws RewriteRejected {
            if (d != Dialect.POSTGRESQL || col.getTable() != null) {
                return;
            }
            String name = d.canonical(col.getColumnName());
            for (Scope s = scope; s != null; s = s.parent) {
                for (Source src : s.sources) {
                    if (src.exposed.equals(name) && readsNewSide(src) && !Boolean.TRUE.equals(hasColumn(src, name))) {
                        throw new RewriteRejected(src.move != null ? src.move : src.rules.get(0).migration,
                                "the whole-row reference " + col.getColumnName() + " would carry the new side's"
                                        + " columns; name the columns");
                    }
                }
            }
        }

        @Override
        public <S> Void visit(AllTableColumns all, S context) {
            if (rejected == null) {
                String name = d.canonical(all.getTable().getName());
                for (Scope s = scope; s != null; s = s.parent) {
                    for (Source src : s.sources) {
                        if (src.exposed.equals(name) && readsNewSide(src)) {
                            rejected = new RewriteRejected(src.move != null ? src.move : src.rules.get(0).migration,
                                    all + " inside an expression would carry the new side's columns; name the columns");
                        }
                    }
                }
            }
            return null;
        }

        @Override
        public <S> Void visit(Function f, S context) {
            if (d == Dialect.MYSQL && "values".equalsIgnoreCase(f.getName()) && f.getParameters() != null
                    && f.getParameters().size() == 1 && f.getParameters().get(0) instanceof Column) {
                // ON DUPLICATE KEY UPDATE ... VALUES(col): the value the INSERT gave col. Once the INSERT
                // writes the new column instead, that is the new column's VALUES() carried back.
                Column c = (Column) f.getParameters().get(0);
                Source owner = scope.sources.isEmpty() ? null : scope.sources.get(0);
                Bound b = owner == null ? null : owner.ruleForOld(d.canonical(c.getColumnName()), d);
                if (b != null && b.newSide && rejected == null) {
                    becomeRawCall(f, ColumnSql.toOld(b.rule, "VALUES(" + b.rule.to() + ")", d));
                    rewrites++;
                    markChanged();
                }
                return null;
            }
            return super.visit(f, context);
        }

        @Override
        public <S> Void visit(ParenthesedSelect ps, S context) {
            subquery(ps.getSelect());
            return null;
        }

        @Override
        public <S> Void visit(AnyComparisonExpression any, S context) {
            subquery(any.getSelect());
            return null;
        }

        @Override
        public <S> Void visit(Select s, S context) {
            subquery(s);
            return null;
        }

        private void subquery(Select s) {
            if (rejected != null) {
                return;
            }
            try {
                select(s, scope);
            } catch (RewriteRejected r) {
                rejected = r;
            }
        }
    }

    private static boolean readsNewSide(Source src) {
        if (src.redirected) {
            return true;
        }
        for (Bound b : src.rules) {
            if (b.newSide) {
                return true;
            }
        }
        return false;
    }

    /** The SQL that reads the old column's value from the new side. */
    private String newSideSql(Source src, Bound b) {
        return ColumnSql.toOld(b.rule, src.qualifierSql + "." + b.rule.to(), d);
    }

    /** Finds the FROM item a column reference belongs to; null when it concerns no migrated column. */
    private Source resolve(Column col, Scope scope) throws RewriteRejected {
        if (d == Dialect.MYSQL && col.getTable() == null && col.getColumnName().startsWith("\"")) {
            return null; // a string literal in MySQL (without ANSI_QUOTES), not a column
        }
        String name = d.canonical(col.getColumnName());
        Table q = col.getTable();
        if (q != null && q.getName() != null) {
            String qn = d.canonical(q.getName());
            for (Scope s = scope; s != null; s = s.parent) {
                for (Source src : s.sources) {
                    if (src.exposed.equals(qn)) {
                        return src;
                    }
                }
            }
            return null;
        }
        if (!oldColumnNames.contains(name)) {
            return null;
        }
        for (Scope s = scope; s != null; s = s.parent) {
            if (s.usingColumns.contains(name)) {
                return null; // the merged column of JOIN ... USING, which checkUsing allowed (old side read)
            }
            Source owner = null;
            int count = 0;
            boolean unsure = false;
            for (Source src : s.sources) {
                if (src.qualifiedOnly) {
                    continue;
                }
                Boolean has = hasColumn(src, name);
                if (has == null) {
                    unsure = true;
                } else if (has) {
                    count++;
                    owner = src;
                }
            }
            Bound migrated = null;
            for (Source src : s.sources) {
                if (src.ruleForOld(name, d) != null) {
                    migrated = src.ruleForOld(name, d);
                }
            }
            if (count == 1 && !unsure) {
                return owner;
            }
            if (count > 1 || (count == 1 && unsure) || (count == 0 && unsure && migratedOutside(s.parent, name))) {
                if (migrated != null || (count == 0 && unsure)) {
                    Migration m = migrated != null ? migrated.migration : touched.iterator().next();
                    throw new RewriteRejected(m, "cannot tell which table the unqualified column "
                            + col.getColumnName() + " belongs to; qualify it with its table or alias");
                }
                return count == 1 ? owner : null;
            }
            if (count == 1) {
                return owner;
            }
        }
        return null;
    }

    private boolean migratedOutside(Scope s, String name) {
        for (; s != null; s = s.parent) {
            for (Source src : s.sources) {
                if (src.ruleForOld(name, d) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** TRUE, FALSE, or null when unknown. */
    private Boolean hasColumn(Source src, String name) {
        if (src.ruleForOld(name, d) != null) {
            return Boolean.TRUE;
        }
        if (src.table != null) {
            List<String> cols = columnsOf(src.table);
            if (cols == null) {
                return null;
            }
            for (String c : cols) {
                if (d.reported(c).equals(name)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
        if (src.derivedColumns != null) {
            return src.derivedColumns.contains(name);
        }
        return null;
    }

    // --- expressions -------------------------------------------------------------------------------

    /** The SQL of a value that is about to be evaluated twice; rejects values that may differ. */
    private String repeatable(Expression v, Bound b, String what) throws RewriteRejected {
        return repeatable(v, b.migration, b.rule.column(), what);
    }

    /** As above, for the value of {@code column} (a migrated or a key column) under migration {@code m}. */
    private String repeatable(Expression v, Migration m, String column, String what) throws RewriteRejected {
        String plain = plain(v, m, column);
        String offender = Determinism.offender(v);
        if (offender != null) {
            throw new RewriteRejected(m, "the " + what + " for " + column + " would be evaluated twice, and "
                    + offender + " may give a different result each time; compute it once (for example bind it as"
                    + " a parameter)");
        }
        return plain;
    }

    private static String plain(Expression v, Bound b) throws RewriteRejected {
        return plain(v, b.migration, b.rule.column());
    }

    private static String plain(Expression v, Migration m, String column) throws RewriteRejected {
        if (v instanceof Column && "DEFAULT".equalsIgnoreCase(((Column) v).getColumnName())
                && ((Column) v).getTable() == null) {
            throw new RewriteRejected(m, "DEFAULT as the value of migrated column " + column
                    + " is not supported; give the value");
        }
        return v.toString();
    }

    private Expression expression(String sql, Bound b) throws RewriteRejected {
        try {
            return Parsing.expression(sql, d);
        } catch (Exception e) {
            throw new RewriteRejected(b.migration, "could not build the rewritten expression " + sql);
        }
    }

    /**
     * A column node that deparses as the given SQL. JSqlParser has no node for raw SQL and splits dotted
     * names, so the node carries an opaque marker that {@link #expandMarkers} replaces after deparsing.
     */
    private Column raw(String sql) {
        Column c = new Column();
        becomeRaw(c, sql);
        return c;
    }

    private void becomeRaw(Column c, String sql) {
        c.setColumnName(String.valueOf(MARK) + raws.size() + MARK);
        c.setTable(null);
        raws.add(sql);
    }

    /**
     * Makes a function call deparse as the given SQL. It prints as {@code name()} once its parameters are
     * gone, so its marker carries a flag telling {@link #expandMarkers} to drop the {@code ()}.
     */
    private void becomeRawCall(Function f, String sql) {
        f.setName(String.valueOf(MARK) + raws.size() + MARK);
        f.setParameters((ExpressionList<?>) null);
        raws.add(CALL + sql);
    }

    /** Statements to run before the rewritten one, in its transaction (markers expanded). */
    public List<String> before() {
        return expanded(before);
    }

    /** Statements to run after the rewritten one, in its transaction. */
    public List<String> after() {
        return expanded(after);
    }

    private List<String> expanded(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            out.add(expandMarkers(t));
        }
        return out;
    }

    /** The SQL of the rewritten statement. */
    public String render(Statement st) {
        return expandMarkers(wrapped != null ? wrapped : st.toString());
    }

    /** Replaces the markers left by {@link #raw} in deparsed SQL with their SQL (which may hold markers too). */
    public String expandMarkers(String deparsed) {
        if (raws.isEmpty() || deparsed.indexOf(MARK) < 0) {
            return deparsed;
        }
        StringBuilder out = new StringBuilder(deparsed.length() + 64);
        int i = 0;
        while (true) {
            int start = deparsed.indexOf(MARK, i);
            if (start < 0) {
                break;
            }
            int end = deparsed.indexOf(MARK, start + 1);
            out.append(deparsed, i, start);
            String sql = raws.get(Integer.parseInt(deparsed.substring(start + 1, end)));
            i = end + 1;
            if (sql.charAt(0) == CALL) {
                sql = sql.substring(1);
                if (deparsed.startsWith("()", i)) {
                    i += 2;
                }
            }
            out.append(expandMarkers(sql));
        }
        return out.append(deparsed, i, deparsed.length()).toString();
    }

    private static final char MARK = '\u0001';
    private static final char CALL = '\u0002';
    private final List<String> raws = new ArrayList<>();

}
