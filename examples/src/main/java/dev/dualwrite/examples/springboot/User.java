package dev.dualwrite.examples.springboot;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The application's entity, still mapped to the old column: nobody has to touch it for the rename. */
@Entity
@Table(name = "users")
public class User {
    @Id
    private Long id;

    @Column(name = "user_name", nullable = false)
    private String name;

    protected User() {
        // for Hibernate
    }

    public User(long id, String name) {
        this.id = id;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
