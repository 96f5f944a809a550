package dev.dualwrite.jdbc.ops;

import dev.dualwrite.jdbc.reload.RuleSource;
import dev.dualwrite.rules.Migration;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the contract's MBeans: one per rule source, one per rule. Rule beans appear as rules appear
 * in reloaded files (a removed rule's bean stays, showing phase {@code removed}, so its counters are not
 * lost). JMX trouble is logged once and never fails a connection.
 */
public final class Jmx {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.jdbc");
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();
    /** The beans this copy of the driver registered itself, to unregister when it is deregistered. */
    private static final Set<ObjectName> OWNED = ConcurrentHashMap.newKeySet();

    private Jmx() {
    }

    /** Registers the source's bean and a bean for each of its rules not registered yet. */
    public static void sync(RuleSource source) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            register(server, name("type=Rules,name=" + value(source.name())), new Rules(source));
            for (Migration m : source.current().migrations()) {
                register(server, name("type=Rule,source=" + value(source.name()) + ",id=" + value(m.id())),
                        new Rule(source, m.id()));
            }
        } catch (JMException | RuntimeException | LinkageError e) {
            if (REGISTERED.add("!error")) {
                LOG.log(Level.WARNING, "dualwrite: JMX beans not registered: " + e);
            }
        }
    }

    private static void register(MBeanServer server, ObjectName name, Object bean) throws JMException {
        if (!REGISTERED.add(name.toString())) {
            return;
        }
        try {
            server.registerMBean(bean, name);
            OWNED.add(name);
        } catch (InstanceAlreadyExistsException e) {
            // another copy of the driver (another class loader) got there first; its bean stays
            LOG.log(Level.DEBUG, "dualwrite: JMX name already taken: " + name);
        }
    }

    /**
     * Unregisters every bean this copy of the driver registered: the platform MBean server would otherwise
     * keep them, and through them this driver's class loader, after the application is undeployed.
     */
    public static void unregisterAll() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : OWNED) {
            try {
                server.unregisterMBean(name);
            } catch (JMException | RuntimeException e) {
                // already gone
            }
        }
        OWNED.clear();
        REGISTERED.clear();
    }

    private static ObjectName name(String properties) throws JMException {
        return new ObjectName("dev.dualwrite:" + properties);
    }

    /** An ObjectName value, quoted only when it must be. */
    static String value(String s) {
        for (char c : s.toCharArray()) {
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return ObjectName.quote(s);
            }
        }
        return s;
    }
}
