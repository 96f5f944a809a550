package dev.dualwrite.jdbc.differential;

/** The table-move corpus ({@code moves.corpus}) over {@link MoveFixture}. */
class MoveCorpusTest extends CorpusTest {
    @Override
    String corpus() {
        return "/differential/moves.corpus";
    }

    @Override
    Fixture fixture() {
        return new MoveFixture();
    }

    @Override
    String name() {
        return "moves";
    }
}
