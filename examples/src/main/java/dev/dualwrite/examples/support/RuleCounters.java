package dev.dualwrite.examples.support;

import java.lang.management.ManagementFactory;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One rule's counters as the driver publishes them over JMX
 * ({@code dev.dualwrite:type=Rule,source=<file name>,id=<rule id>}), read from the platform MBean server of
 * the JVM the driver runs in; any JMX client (jconsole, a Prometheus exporter) sees the same.
 */
public final class RuleCounters {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private final ObjectName name;

    RuleCounters(String ruleFileName, String ruleId) {
        try {
            this.name = new ObjectName("dev.dualwrite:type=Rule,source=" + ruleFileName + ",id=" + ruleId);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Statements the rule rewrote. */
    public long rewritten() {
        return counter("Rewritten");
    }

    /** Writes that reached both the old and the new side. */
    public long dualWrites() {
        return counter("DualWrites");
    }

    /** Shadow reads whose old and new results differed. */
    public long shadowMismatches() {
        return counter("ShadowMismatches");
    }

    /** Shadow comparisons made. */
    public long shadowReads() {
        return counter("ShadowReads");
    }

    public long readsNew() {
        return counter("ReadsNew");
    }

    /** Statements rejected with SQLState 0A000. */
    public long rejected() {
        return counter("Rejected");
    }

    /** 0 until the driver has loaded the rule (its bean appears with the first connection). */
    public long counter(String attribute) {
        try {
            return ((Number) JMX.getAttribute(name, attribute)).longValue();
        } catch (InstanceNotFoundException e) {
            return 0;
        } catch (JMException e) {
            throw new IllegalStateException("JMX attribute " + attribute + " of " + name, e);
        }
    }
}
