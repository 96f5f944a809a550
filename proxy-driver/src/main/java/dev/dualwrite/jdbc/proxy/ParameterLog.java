package dev.dualwrite.jdbc.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The application's parameter settings, by the application's parameter index: the setter called and
 * its arguments. Binding replays them onto the real statement following a rewrite's parameter map, so a
 * parameter that must reach two columns is bound twice and never inlined.
 */
final class ParameterLog {
    private static final Method SET_BYTES;
    private static final Method SET_STRING;

    static {
        try {
            SET_BYTES = PreparedStatement.class.getMethod("setBytes", int.class, byte[].class);
            SET_STRING = PreparedStatement.class.getMethod("setString", int.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Method[] methods = new Method[8];
    private Object[][] args = new Object[8][];

    void record(Method m, Object[] a) {
        int i = (Integer) a[0];
        if (i < 1) {
            return; // the real driver reports the bad index when it is bound
        }
        if (i >= methods.length) {
            int n = Math.max(i + 1, methods.length * 2);
            methods = Arrays.copyOf(methods, n);
            args = Arrays.copyOf(args, n);
        }
        methods[i] = m;
        args[i] = a;
    }

    void clear() {
        Arrays.fill(methods, null);
        Arrays.fill(args, null);
    }

    ParameterLog copy() {
        ParameterLog c = new ParameterLog();
        c.methods = methods.clone();
        c.args = args.clone();
        return c;
    }

    /** Binds onto {@code target}: parameter j of the rewritten SQL gets the application's {@code map[j]}. */
    void bind(PreparedStatement target, int[] map) throws SQLException {
        if (map == null) {
            for (int i = 1; i < methods.length; i++) {
                if (methods[i] != null) {
                    invoke(target, methods[i], args[i], i);
                }
            }
            return;
        }
        for (int j = 0; j < map.length; j++) {
            int i = map[j];
            if (i >= methods.length || methods[i] == null) {
                continue; // unset: the real driver reports the missing parameter
            }
            if (isStream(args[i]) && usedTwice(map, i)) {
                materialize(i);
            }
            invoke(target, methods[i], args[i], j + 1);
        }
    }

    private static boolean usedTwice(int[] map, int i) {
        int n = 0;
        for (int v : map) {
            if (v == i && ++n > 1) {
                return true;
            }
        }
        return false;
    }

    /** By the value, not the setter's signature: no reflection (which copies arrays) per bound parameter. */
    private static boolean isStream(Object[] a) {
        return a.length > 1 && (a[1] instanceof InputStream || a[1] instanceof Reader);
    }

    /** A stream can be read once; one that must be bound twice is read into memory first. */
    private void materialize(int i) throws SQLException {
        Object[] a = args[i];
        Object value = a[1];
        long limit = a.length > 2 && a[2] instanceof Number ? ((Number) a[2]).longValue() : Long.MAX_VALUE;
        try {
            if (value instanceof InputStream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ((InputStream) value).transferTo(out);
                byte[] bytes = out.toByteArray();
                if (limit < bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) limit);
                }
                methods[i] = SET_BYTES;
                args[i] = new Object[] {i, bytes};
            } else if (value instanceof Reader) {
                StringWriter out = new StringWriter();
                ((Reader) value).transferTo(out);
                String s = out.toString();
                if (limit < s.length()) {
                    s = s.substring(0, (int) limit);
                }
                methods[i] = SET_STRING;
                args[i] = new Object[] {i, s};
            }
        } catch (IOException e) {
            throw new SQLException("dualwrite: could not read the stream of parameter " + i
                    + ", which must be bound to two columns", "22000", e);
        }
    }

    /** Calls the setter with its index changed to {@code index} (in place and back, to spare a copy). */
    static void invoke(Object target, Method m, Object[] a, int index) throws SQLException {
        Object own = a[0];
        boolean renumber = (Integer) own != index;
        if (renumber) {
            a[0] = index;
        }
        try {
            m.invoke(target, a);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException) {
                throw (SQLException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new SQLException(cause);
        } catch (IllegalAccessException e) {
            throw new SQLException("dualwrite: cannot call " + m, e);
        } finally {
            if (renumber) {
                a[0] = own;
            }
        }
    }
}
