package dev.dualwrite.examples.springboot;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: entities, repositories and the DataSource are all Spring Boot's
 * auto-configuration; only {@code spring.datasource.url} and {@code driver-class-name} name dualwrite.
 */
@SpringBootApplication
public class UserApp {
}
