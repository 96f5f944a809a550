package dev.dualwrite.bench.stub;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.SQLFeatureNotSupportedException;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.ExceptionMethod;

/**
 * Completes the hand-written stub classes: every JDBC method they leave abstract throws
 * {@link SQLFeatureNotSupportedException}, so a benchmark that reaches one fails loudly instead of
 * measuring nothing.
 */
final class Stubs {
    private Stubs() {
    }

    /** A no-argument constructor of the completed subclass of {@code base}, typed to return {@code base}. */
    static MethodHandle constructor(Class<?> base) {
        Class<?> c = new ByteBuddy()
                .subclass(base)
                .name(base.getName() + "$Complete")
                .method(isAbstract())
                .intercept(ExceptionMethod.throwing(SQLFeatureNotSupportedException.class, "stub"))
                .make()
                .load(base.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(MethodHandles.lookup()))
                .getLoaded();
        try {
            return MethodHandles.lookup().findConstructor(c, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(base));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T create(MethodHandle constructor) {
        try {
            @SuppressWarnings("unchecked")
            T t = (T) (Object) constructor.invoke();
            return t;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
