package dev.dualwrite.ops.cli;

/**
 * A command that cannot go on, with the exit code it ends with and a message that says what to do
 * next. Printed without a stack trace: it is the operator's problem to fix, not a bug.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Bad usage or bad input: a missing file, an unknown migration, a database that cannot be reached. */
    static CliFailure badInput(String message) {
        return new CliFailure(DualWriteCli.BAD_INPUT, message);
    }

    /** A check failed: the command ran and found something wrong, or refused to do something unsafe. */
    static CliFailure checkFailed(String message) {
        return new CliFailure(DualWriteCli.CHECK_FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
