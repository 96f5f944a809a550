package dev.dualwrite.jdbc.reliability;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loaded inside the isolated class loader of {@link ResourceLeakTest}: DriverManager only lets code see and
 * deregister drivers its own class loader can load, which is what an application server's undeploy does.
 */
public final class Unloader {
    private Unloader() {
    }

    /** Deregisters every driver loaded by this class's loader; returns their class names. */
    public static List<String> deregisterOwnDrivers() throws SQLException {
        List<String> names = new ArrayList<>();
        for (Driver d : Collections.list(DriverManager.getDrivers())) {
            if (d.getClass().getClassLoader() == Unloader.class.getClassLoader()) {
                DriverManager.deregisterDriver(d);
                names.add(d.getClass().getName());
            }
        }
        return names;
    }
}
