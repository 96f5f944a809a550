package dev.dualwrite.jdbc.ops;

import dev.dualwrite.jdbc.reload.RuleSource;
import java.time.Instant;

/** The JMX view of a rule source; every attribute is read live. */
final class Rules implements RulesMBean {
    private final RuleSource source;

    Rules(RuleSource source) {
        this.source = source;
    }

    @Override
    public String getSource() {
        return source.location();
    }

    @Override
    public long getVersion() {
        return source.current().version();
    }

    @Override
    public String getLastReload() {
        return Instant.ofEpochMilli(source.lastReload()).toString();
    }

    @Override
    public String getLastError() {
        return source.lastError();
    }
}
