package dev.dualwrite.examples.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Legacy code on {@code users (id, user_name)}: it only ever names {@code user_name}. Each thread owns a
 * disjoint set of ids and remembers the name it last gave each one, so it can check every answer.
 */
public final class UsersWorkload implements LegacyApp.Workload {
    private static final String INSERT = "INSERT INTO users (id, user_name) VALUES (?, ?)";
    private static final String UPDATE = "UPDATE users SET user_name = ? WHERE id = ?";
    private static final String SELECT = "SELECT id, user_name FROM users WHERE user_name = ?";
    private static final String DELETE = "DELETE FROM users WHERE id = ? AND user_name = ?";

    private final AtomicLong nextId;
    /** The ids this thread owns, for picking one at random; {@code names} says what each is called. */
    private final List<Long> live = new ArrayList<>();
    private final Map<Long, String> names = new HashMap<>();
    private int version;

    /**
     * @param seedRows rows 1..seedRows exist already, named {@link #seedName}; thread {@code index} of
     *     {@code threads} owns those with {@code id % threads == index}
     * @param nextId shared by all threads: where ids of rows the app inserts come from
     */
    public UsersWorkload(long seedRows, int index, int threads, AtomicLong nextId) {
        this.nextId = nextId;
        for (long id = 1; id <= seedRows; id++) {
            if (id % threads == index) {
                live.add(id);
                names.put(id, seedName(id));
            }
        }
    }

    /** The name seeded row {@code id} starts with. */
    public static String seedName(long id) {
        return "seed-" + id;
    }

    @Override
    public void step(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        int dice = random.nextInt(100);
        if (live.isEmpty() || dice < 30) {
            insert(c);
        } else if (dice < 60) {
            update(c, random);
        } else if (dice < 90) {
            select(c, random);
        } else {
            delete(c, random);
        }
    }

    private void insert(Connection c) throws SQLException, LegacyApp.WrongAnswer {
        long id = nextId.getAndIncrement();
        String name = "user-" + id;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, id);
            ps.setString(2, name);
            expectCount(INSERT, ps.executeUpdate());
        }
        live.add(id);
        names.put(id, name);
    }

    private void update(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        long id = pick(random);
        String name = "user-" + id + "-v" + (++version);
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, name);
            ps.setLong(2, id);
            expectCount(UPDATE, ps.executeUpdate());
        }
        names.put(id, name);
    }

    private void select(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        long id = pick(random);
        String name = names.get(id);
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new LegacyApp.WrongAnswer("no row named '" + name + "' (id " + id + ")", SELECT);
                }
                // By label, as legacy code does: after the flip the label must still be user_name.
                long gotId = rs.getLong("id");
                String gotName = rs.getString("user_name");
                if (gotId != id || !name.equals(gotName) || rs.next()) {
                    throw new LegacyApp.WrongAnswer("asked for '" + name + "' (id " + id + "), got id " + gotId
                            + " named '" + gotName + "'", SELECT);
                }
            }
        }
    }

    private void delete(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        int index = random.nextInt(live.size());
        long id = live.get(index);
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setLong(1, id);
            ps.setString(2, names.get(id));
            expectCount(DELETE, ps.executeUpdate());
        }
        // Swap-remove: order does not matter and this keeps it O(1).
        live.set(index, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        names.remove(id);
    }

    private long pick(Random random) {
        return live.get(random.nextInt(live.size()));
    }

    private static void expectCount(String sql, int got) throws LegacyApp.WrongAnswer {
        if (got != 1) {
            throw new LegacyApp.WrongAnswer("update count " + got + ", expected 1", sql);
        }
    }
}
