package dev.dualwrite.jdbc.testdb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test method once per {@link Engine}. The method takes the engine as its first parameter
 * and usually asks for a database with {@link Databases#fresh(Engine)}:
 *
 * <pre>{@code
 * @BothEngines
 * void insertsRow(Engine engine) throws Exception {
 *     TestDatabase db = Databases.fresh(engine);
 *     db.exec("create table t (id int primary key)");
 *     ...
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "[{index}] {0}")
@EnumSource(Engine.class)
public @interface BothEngines {}
