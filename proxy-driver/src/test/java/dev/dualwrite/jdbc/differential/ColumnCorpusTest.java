package dev.dualwrite.jdbc.differential;

/** The column-rule corpus ({@code columns.corpus}) over {@link ColumnFixture}. */
class ColumnCorpusTest extends CorpusTest {
    @Override
    String corpus() {
        return System.getProperty("differential.corpus", "/differential/columns.corpus");
    }

    @Override
    Fixture fixture() {
        return new ColumnFixture();
    }

    @Override
    String name() {
        return "columns";
    }
}
