package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as operators run it: {@code java -jar proxy-driver-<version>-all.jar}, with picocli
 * relocated inside, and with the database's driver beside it on {@code -cp} for --url.
 */
class DualWriteCliJarIT {
    @TempDir
    Path dir;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path allJar() {
        return Path.of(System.getProperty("dualwrite.allJar"));
    }

    /** Runs a JVM; returns its exit code followed by its merged output. */
    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command line finished");
        List<String> out = new ArrayList<>();
        out.add(String.valueOf(p.exitValue()));
        out.add(output);
        return out;
    }

    @Test
    void javaDashJarRunsTheCommandLine() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, ValidateCommandTest.RENAME);
        List<String> version = run(java(), "-jar", allJar().toString(), "--version");
        assertEquals("0", version.get(0), version.get(1));
        assertTrue(version.get(1).startsWith("dualwrite-jdbc "), version.get(1));
        List<String> ok = run(java(), "-jar", allJar().toString(), "validate", rules.toString());
        assertEquals("0", ok.get(0), ok.get(1));
        List<String> missing = run(java(), "-jar", allJar().toString(), "validate", dir.resolve("none.yaml").toString());
        assertEquals("2", missing.get(0), missing.get(1));
        // without a driver on the class path, --url says how to add one
        List<String> noDriver = run(java(), "-jar", allJar().toString(), "validate", rules.toString(), "--url",
                "jdbc:postgresql://localhost:1/x");
        assertEquals("2", noDriver.get(0), noDriver.get(1));
        assertTrue(noDriver.get(1).contains("java -cp proxy-driver-<version>-all.jar:<your driver>.jar"), noDriver.get(1));
    }

    @Test
    void theDriverBesideTheJarServesUrl() throws Exception {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name TEXT)");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, ValidateCommandTest.RENAME);
        String cp = allJar() + File.pathSeparator + Path.of(System.getProperty("dualwrite.itLibs"), "postgresql.jar");
        String[] validate = {java(), "-cp", cp, "dev.dualwrite.ops.cli.DualWriteCli", "validate", rules.toString(),
            "--url", db.rawUrl(), "--user", db.user()};
        List<String> missing = run(validate);
        assertEquals("1", missing.get(0), missing.get(1));
        assertTrue(missing.get(1).contains("users-display-name: new column display_name"), missing.get(1));
        db.exec("ALTER TABLE users ADD COLUMN display_name TEXT");
        List<String> ok = run(validate);
        assertEquals("0", ok.get(0), ok.get(1));
    }
}
