package dev.dualwrite.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version for {@code --version}, from a resource Maven fills in at build time, so that it is right
 * both in the -all jar and when run from the class directories (tests).
 */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"dualwrite-jdbc " + number()};
    }

    static String number() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": a version string is not worth failing a command for
        }
        return p.getProperty("version", "unknown");
    }
}
