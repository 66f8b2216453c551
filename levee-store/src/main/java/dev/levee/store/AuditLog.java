package dev.levee.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * The audit log: rows appended in a hash chain. Each row's hash covers the previous row's hash and
 * this row's canonical content (sequence number, time, actor, action, target, detail), so editing a
 * row breaks its hash, and deleting or reordering rows breaks the sequence or the chain.
 * {@link #verify} finds the first such row. A cut tail leaves a valid chain; that is what the head
 * logged periodically ({@link #head}) is for.
 */
public final class AuditLog {
    static final String GENESIS = "0".repeat(64);
    /** The advisory lock that orders appends across instances ("levee" in ASCII). */
    private static final long ADVISORY_LOCK = 0x6c65766565L;

    private final Database db;
    private final Clock clock;

    AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The last row: its sequence number and hash ({@code 0} and the genesis hash for an empty log). */
    public record Head(long seq, String hash) {
        @Override
        public String toString() {
            return seq + ":" + hash;
        }
    }

    /**
     * The outcome of a check.
     *
     * @param badSeq the first row that was edited, deleted or reordered, or {@code null} when the chain holds
     * @param problem what is wrong with it, or {@code null}
     */
    public record Verification(long rowsChecked, Head head, Long badSeq, String problem) {
        public boolean ok() {
            return badSeq == null;
        }
    }

    /** Appends one row in its own transaction. */
    public void append(String actor, String action, String target, String detail) {
        Sql.run(db, c -> {
            append(c, actor, action, target, detail);
            return null;
        });
    }

    /**
     * Appends one row inside the caller's transaction. Instances sharing PostgreSQL take a
     * transaction-scoped advisory lock first, so their appends are ordered; SQLite's write
     * transactions begin immediately and so are ordered already.
     */
    void append(Connection c, String actor, String action, String target, String detail) throws SQLException {
        if (c.getMetaData().getURL().startsWith("jdbc:postgresql")) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ADVISORY_LOCK);
                lock.execute();
            }
        }
        Head head = head(c);
        long seq = head.seq() + 1;
        long at = clock.millis();
        String hash = hash(head.hash(), seq, at, actor, action, target, detail);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (seq, at_ms, actor, action, target,"
                + " detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, at);
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, target);
            ps.setString(6, detail);
            ps.setString(7, head.hash());
            ps.setString(8, hash);
            ps.executeUpdate();
        }
    }

    public Head head() {
        return Sql.read(db, AuditLog::head);
    }

    private static Head head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, GENESIS);
        }
    }

    /**
     * Walks the chain from the first row. With {@code expectedHead} (a head logged earlier), also
     * checks that the row it names is still there with that hash: a log cut after it fails.
     */
    public Verification verify(Head expectedHead) {
        return Sql.read(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, at_ms, actor, action, target, detail,"
                    + " prev_hash, hash FROM audit_log ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                return walk(rs, expectedHead);
            }
        });
    }

    private static Verification walk(ResultSet rs, Head expectedHead) throws SQLException {
        long expected = 1;
        String prev = GENESIS;
        boolean sawExpected = expectedHead == null || expectedHead.seq() == 0;
        while (rs.next()) {
            long seq = rs.getLong("seq");
            Head here = new Head(expected - 1, prev);
            if (seq != expected) {
                return new Verification(expected - 1, here, expected, "row " + expected + " is missing (deleted, or"
                        + " the rows were renumbered); the next row is " + seq);
            }
            if (!prev.equals(rs.getString("prev_hash"))) {
                return new Verification(expected - 1, here, seq, "row " + seq + " does not follow row " + (seq - 1)
                        + " (rows deleted or reordered before it)");
            }
            String hash = hash(prev, seq, rs.getLong("at_ms"), rs.getString("actor"), rs.getString("action"),
                    rs.getString("target"), rs.getString("detail"));
            if (!hash.equals(rs.getString("hash"))) {
                return new Verification(expected - 1, here, seq, "row " + seq + " was edited: its content does not"
                        + " match its hash");
            }
            if (expectedHead != null && seq == expectedHead.seq()) {
                if (!hash.equals(expectedHead.hash())) {
                    return new Verification(seq, new Head(seq, hash), seq, "row " + seq + " is not the row whose hash"
                            + " was logged as the head");
                }
                sawExpected = true;
            }
            prev = hash;
            expected++;
        }
        Head head = new Head(expected - 1, prev);
        if (!sawExpected) {
            return new Verification(expected - 1, head, expected, "the log ends at row " + (expected - 1)
                    + " but a head at row " + expectedHead.seq() + " was logged: its tail was cut");
        }
        return new Verification(expected - 1, head, null, null);
    }

    /** SHA-256 over the previous hash and the row's fields, each length-prefixed so no two rows read alike. */
    static String hash(String prev, long seq, long at, String actor, String action, String target, String detail) {
        StringBuilder canonical = new StringBuilder(prev).append('\n');
        for (String field : new String[] {Long.toString(seq), Long.toString(at), actor, action, target, detail}) {
            if (field == null) {
                canonical.append("-1:");
            } else {
                canonical.append(field.length()).append(':').append(field);
            }
            canonical.append(';');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
