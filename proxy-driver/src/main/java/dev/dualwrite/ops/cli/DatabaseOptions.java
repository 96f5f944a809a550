package dev.dualwrite.ops.cli;

import picocli.CommandLine.Option;

/** {@code --url}, {@code --user} and {@code --password}, shared by the commands that may read a database. */
final class DatabaseOptions {
    @Option(names = "--url", paramLabel = "JDBC_URL", description = "The database: the application's"
            + " jdbc:dualwrite:... URL or the real driver's URL (PostgreSQL, MySQL or MariaDB). Its JDBC driver must"
            + " be on the class path, beside this jar (java -cp proxy-driver-<version>-all.jar:<driver>.jar"
            + " dev.dualwrite.ops.cli.DualWriteCli ...).")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "The database user, if the URL does not name one.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:DUALWRITE_PASSWORD}",
            description = "The password. Default: the environment variable DUALWRITE_PASSWORD, which keeps it out of"
                    + " the process list. Never printed.")
    String password;

    boolean given() {
        return url != null;
    }

    /** Connects, or ends the command with exit 2 and a message that says what to fix. */
    Database open() {
        return Database.open(url, user, password);
    }

    /** A writable connection, for backfill. */
    Database openWritable() {
        return Database.open(url, user, password, false);
    }

    /** Another server with the same credentials (a replica whose lag is watched); read-only. */
    Database openOther(String otherUrl) {
        return Database.open(otherUrl, user, password);
    }
}
