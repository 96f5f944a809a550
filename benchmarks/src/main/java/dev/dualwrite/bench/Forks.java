package dev.dualwrite.bench;

/** JVM options of every benchmark fork, so each wrapper is configured as {@link Wrapper} describes. */
final class Forks {
    /** P6Spy's wrapping module only: no log formatting, no spy.log. */
    static final String P6SPY_WRAPPING_ONLY = "-Dp6spy.config.modulelist=com.p6spy.engine.spy.P6SpyFactory";
    static final String QUIET_SLF4J = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    private Forks() {
    }
}
