package com.onecard.pos.sim.durability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** lossyfs itself: it really drops what was not synced, keeps what was, and SQLite runs on it. */
class LossyFsIT {
    @TempDir
    Path dir;
    LossyFs fs;

    @BeforeEach
    void mount() throws Exception {
        fs = new LossyFs(dir.resolve("backing"), dir.resolve("mnt"), Path.of("target/lossyfs-logs/LossyFsIT.log"));
        fs.mount();
    }

    @AfterEach
    void unmount() throws Exception {
        fs.close();
    }

    static void write(Path f, String text, boolean sync, StandardOpenOption... opts) throws Exception {
        try (FileChannel ch = FileChannel.open(f, opts)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            if (sync) {
                ch.force(true);
            }
        }
    }

    @Test
    void unsyncedWritesAreReadBackThenLostInAPowerCutSyncedOnesAreKept() throws Exception {
        Path m = fs.mountpoint();
        write(m.resolve("synced"), "kept", true, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        write(m.resolve("synced"), "+lost", false, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        write(m.resolve("unsynced"), "lost", false, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        assertThat(Files.readString(m.resolve("synced"))).as("the page cache serves unsynced writes").isEqualTo("kept+lost");
        assertThat(Files.readString(m.resolve("unsynced"))).isEqualTo("lost");

        fs.powerCut();
        assertThat(Files.readString(fs.backing().resolve("synced"))).isEqualTo("kept");
        assertThat(Files.size(fs.backing().resolve("unsynced"))).isZero();
        fs.mount();
        assertThat(Files.readString(m.resolve("synced"))).isEqualTo("kept");
        assertThat(Files.readString(m.resolve("unsynced"))).isEmpty();
    }

    @Test
    void anUnsyncedTruncateIsLostAndASyncedOneKept() throws Exception {
        Path f = fs.mountpoint().resolve("t");
        write(f, "0123456789", true, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(4);
        }
        assertThat(Files.readString(f)).isEqualTo("0123");
        fs.powerCut();
        fs.mount();
        assertThat(Files.readString(f)).isEqualTo("0123456789");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(4);
            ch.force(true);
        }
        fs.powerCut();
        fs.mount();
        assertThat(Files.readString(f)).isEqualTo("0123");
    }

    @Test
    void sqliteCommitsSurviveWithSynchronousFullAndAreLostWithOff() throws Exception {
        String url = "jdbc:sqlite:" + fs.mountpoint().resolve("t.db");
        var c = DriverManager.getConnection(url);
        try {
            var st = c.createStatement();
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("CREATE TABLE t(x INTEGER)");
            for (int i = 0; i < 20; i++) {
                st.executeUpdate("INSERT INTO t VALUES(" + i + ")");
            }
            st.execute("PRAGMA synchronous=OFF");
            for (int i = 0; i < 20; i++) {
                st.executeUpdate("INSERT INTO t VALUES(" + (100 + i) + ")");
            }
            try (var rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
                assertThat(rs.getInt(1)).isEqualTo(40);
            }
            fs.powerCut(); // before the connection closes: no checkpoint, as when the process is killed
        } finally {
            try {
                c.close();
            } catch (java.sql.SQLException gone) {
                // the filesystem under it is gone: that is the point
            }
        }
        fs.mount();
        try (var c2 = DriverManager.getConnection(url); var rs = c2.createStatement().executeQuery("SELECT COUNT(*), MAX(x) FROM t")) {
            assertThat(rs.getInt(1)).isEqualTo(20);
            assertThat(rs.getInt(2)).isEqualTo(19);
        }
    }
}
