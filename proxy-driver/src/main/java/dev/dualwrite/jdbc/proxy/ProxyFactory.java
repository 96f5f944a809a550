package dev.dualwrite.jdbc.proxy;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDefaultMethod;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.MultipleParentClassLoader;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Generates, once per delegate class, a subclass of a hand-written proxy base that also implements every
 * public interface of the delegate (so casts to vendor interfaces such as {@code PGConnection} work).
 * Methods the base writes in plain Java are the intercepted ones; every other method forwards to the
 * {@code delegate} field. Classes are cached in a {@link ClassValue} on the delegate class, so nothing
 * here keeps an application's class loader alive after it is undeployed.
 *
 * @param <B> the proxy base type
 */
public final class ProxyFactory<B> {
    private final Class<B> base;
    private final ElementMatcher<? super MethodDescription> intercepted;
    private final Class<?> interceptor;
    private final String namePrefix;
    private final ProxyFactory<B> forwardingOnly;
    private final ClassValue<MethodHandle> constructors = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> delegateClass) {
            return generate(delegateClass);
        }
    };

    public ProxyFactory(Class<B> base) {
        this(base, none(), null);
    }

    /**
     * A factory whose proxies route the methods {@code intercepted} matches to the static methods of
     * {@code interceptor} (ByteBuddy method delegation) instead of forwarding them.
     */
    public ProxyFactory(Class<B> base, ElementMatcher<? super MethodDescription> intercepted, Class<?> interceptor) {
        this(base, intercepted, interceptor, base.getName() + "$");
    }

    private ProxyFactory(Class<B> base, ElementMatcher<? super MethodDescription> intercepted, Class<?> interceptor,
            String namePrefix) {
        this.base = base;
        this.intercepted = intercepted;
        this.interceptor = interceptor;
        this.namePrefix = namePrefix;
        this.forwardingOnly = interceptor == null ? this
                : new ProxyFactory<>(base, none(), null, base.getName() + "$Forwarding$");
    }

    /**
     * The same proxies with nothing routed to the interceptor: for connections without rules, whose
     * parameter setters need not be recorded, so they forward straight to the real statement.
     */
    public ProxyFactory<B> forwardingOnly() {
        return forwardingOnly;
    }

    /** A new proxy around {@code delegate}: an instance of the generated class for its class. */
    public B wrap(Object delegate) {
        try {
            return base.cast(constructors.get(delegate.getClass()).invoke(delegate));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("dualwrite: cannot create a proxy for " + delegate.getClass(), t);
        }
    }

    private MethodHandle generate(Class<?> delegateClass) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        collectInterfaces(delegateClass, interfaces);
        MultipleParentClassLoader.Builder loaders = new MultipleParentClassLoader.Builder().append(base);
        for (Class<?> i : interfaces) {
            loaders = loaders.append(i);
        }
        ClassLoader parent = loaders.build();
        Class<?> proxy = new ByteBuddy()
                .subclass(base, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                .name(namePrefix + delegateClass.getName().replace('.', '_'))
                .implement(interfaces.toArray(new Class<?>[0]))
                .method(isAbstract().or(isDefaultMethod()))
                .intercept(MethodCall.invokeSelf().onField("delegate").withAllArguments()
                        .withAssigner(Assigner.DEFAULT, Assigner.Typing.DYNAMIC))
                // registered last, so it wins over plain forwarding for the methods it matches
                .method(isAbstract().and(intercepted))
                .intercept(interceptor == null ? StubMethod.INSTANCE : MethodDelegation.to(interceptor))
                .modifiers(Visibility.PUBLIC)
                .make()
                .load(parent, ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        try {
            return MethodHandles.publicLookup()
                    .findConstructor(proxy, MethodType.methodType(void.class, Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("dualwrite: generated proxy " + proxy + " has no constructor", e);
        }
    }

    private static ElementMatcher<? super MethodDescription> none() {
        return ElementMatchers.none();
    }

    /** Public interfaces of the class and its superclasses, and their super-interfaces. */
    private static void collectInterfaces(Class<?> c, Set<Class<?>> out) {
        for (; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (Modifier.isPublic(i.getModifiers()) && out.add(i)) {
                    collectInterfaces(i, out);
                }
            }
        }
    }
}
