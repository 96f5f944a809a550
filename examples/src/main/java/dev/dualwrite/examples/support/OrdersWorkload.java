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
 * Legacy code on {@code orders (id, user_id, status)}, status {@code 'A'} (active) or {@code 'C'}
 * (cancelled): it places, cancels or reactivates, looks up and deletes orders, and never learns that the
 * table moved. Each thread owns a disjoint set of ids and remembers each one's status, so it can check
 * every answer; {@link #expected()} is that memory, for checking the tables afterwards.
 */
public final class OrdersWorkload implements LegacyApp.Workload {
    private static final String INSERT = "INSERT INTO orders (id, user_id, status) VALUES (?, ?, 'A')";
    private static final String UPDATE = "UPDATE orders SET status = ? WHERE id = ?";
    private static final String SELECT = "SELECT id, user_id, status FROM orders WHERE id = ?";
    private static final String DELETE = "DELETE FROM orders WHERE id = ?";

    private final AtomicLong nextId;
    private final List<Long> live = new ArrayList<>();
    private final Map<Long, String> status = new HashMap<>();

    /**
     * @param seedRows orders 1..seedRows exist already with {@link #seedStatus}; thread {@code index} of
     *     {@code threads} owns those with {@code id % threads == index}
     * @param nextId shared by all threads: where ids of orders the app places come from
     */
    public OrdersWorkload(long seedRows, int index, int threads, AtomicLong nextId) {
        this.nextId = nextId;
        for (long id = 1; id <= seedRows; id++) {
            if (id % threads == index) {
                live.add(id);
                status.put(id, seedStatus(id));
            }
        }
    }

    public static String seedStatus(long id) {
        return id % 3 == 0 ? "C" : "A";
    }

    /** The customer of an order; derived from the id, so nobody has to remember it. */
    public static long userOf(long id) {
        return id % 100;
    }

    /** The status of every order this thread owns, as it last wrote it. Read it after the app stopped. */
    public Map<Long, String> expected() {
        return Map.copyOf(status);
    }

    @Override
    public void step(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        int dice = random.nextInt(100);
        if (live.isEmpty() || dice < 25) {
            place(c);
        } else if (dice < 55) {
            toggle(c, random);
        } else if (dice < 92) {
            lookUp(c, random);
        } else {
            delete(c, random);
        }
    }

    private void place(Connection c) throws SQLException, LegacyApp.WrongAnswer {
        long id = nextId.getAndIncrement();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, id);
            ps.setLong(2, userOf(id));
            expectCount(INSERT, ps.executeUpdate());
        }
        live.add(id);
        status.put(id, "A");
    }

    /** Cancels an active order or reactivates a cancelled one. */
    private void toggle(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        long id = pick(random);
        String next = "A".equals(status.get(id)) ? "C" : "A";
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, next);
            ps.setLong(2, id);
            expectCount(UPDATE, ps.executeUpdate());
        }
        status.put(id, next);
    }

    private void lookUp(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        long id = pick(random);
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new LegacyApp.WrongAnswer("order " + id + " not found", SELECT);
                }
                String got = rs.getString("status");
                long user = rs.getLong("user_id");
                if (!status.get(id).equals(got) || user != userOf(id) || rs.next()) {
                    throw new LegacyApp.WrongAnswer("order " + id + ": status '" + got + "' user " + user
                            + ", expected '" + status.get(id) + "' user " + userOf(id), SELECT);
                }
            }
        }
    }

    private void delete(Connection c, Random random) throws SQLException, LegacyApp.WrongAnswer {
        int index = random.nextInt(live.size());
        long id = live.get(index);
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setLong(1, id);
            expectCount(DELETE, ps.executeUpdate());
        }
        live.set(index, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        status.remove(id);
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
