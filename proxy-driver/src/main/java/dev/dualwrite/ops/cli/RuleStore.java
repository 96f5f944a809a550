package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.reload.RulesTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Where a command reads the rules document and stores a changed one: a rule file, or a rules table
 * ({@code table:<schema.table>}, in the database of {@code --url}) where every change is a new version.
 */
abstract class RuleStore implements AutoCloseable {

    /** A document as stored: its text and, in a table, its version (0 for a file). */
    static final class Stored {
        final String text;
        final byte[] bytes;
        final long version;

        Stored(String text, byte[] bytes, long version) {
            this.text = text;
            this.bytes = bytes;
            this.version = version;
        }

        String sha256() {
            return AtomicFile.sha256(bytes);
        }
    }

    /** A file path, or {@code table:<schema.table>}, which needs {@code --url}. */
    static RuleStore open(String target, DatabaseOptions database) {
        if (!RulesTable.isTable(target)) {
            return new FileStore(Path.of(target));
        }
        if (!database.given()) {
            throw CliFailure.badInput(target + " is a rules table: give --url, the JDBC URL of the database that holds it");
        }
        return RuleTable.open(target, database);
    }

    /** The file's path or the table's {@code table:} name, for messages. */
    abstract String name();

    /** The current document; a missing or unreadable one ends the command with exit 2. */
    abstract Stored read() throws IOException, SQLException;

    /**
     * Stores {@code text} as the new document, unless the stored one is no longer {@code base} (someone else
     * changed it meanwhile, and storing would lose that change).
     *
     * @return where it went, as the end of the command's structured line ({@code file=... sha256=...})
     */
    abstract String store(Stored base, String text, String by, String reason) throws IOException, SQLException;

    /** The end of the structured line for a document left as it is. */
    abstract String where(Stored stored);

    @Override
    public void close() {
    }

    /** A rule file, replaced atomically. */
    static final class FileStore extends RuleStore {
        private final Path file;

        FileStore(Path file) {
            this.file = file;
        }

        @Override
        String name() {
            return file.toString();
        }

        @Override
        Stored read() throws IOException {
            RuleFiles.requireReadable(file);
            byte[] bytes = Files.readAllBytes(file);
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                return new Stored(text, bytes, 0);
            } catch (CharacterCodingException e) {
                throw CliFailure.badInput(file + " is not valid UTF-8; rule files are UTF-8");
            }
        }

        @Override
        String store(Stored base, String text, String by, String reason) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            AtomicFile.replace(file, base.bytes, bytes);
            return "file=" + file + " sha256=" + AtomicFile.sha256(bytes);
        }

        @Override
        String where(Stored stored) {
            return "file=" + file + " sha256=" + stored.sha256();
        }
    }
}
