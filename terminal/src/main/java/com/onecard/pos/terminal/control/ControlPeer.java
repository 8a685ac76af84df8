package com.onecard.pos.terminal.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * Who sent a control command. {@code user}, {@code group} and {@code uid} come from the kernel
 * ({@code SO_PEERCRED} of the connection) and cannot be forged by the client. Java's
 * {@code SO_PEERCRED} does not return the peer's pid, so {@code pid} is the one the client names
 * in its request, kept only after checking that {@code /proc/<pid>} is a live process of that same
 * user ({@code pidChecked}); a pid that does not check out is recorded as 0 with the claim in
 * {@code note}.
 *
 * @param user    peer's user name (numeric when the name is unknown), "keypad" for the local keypad
 * @param group   peer's primary group name
 * @param uid     numeric uid, -1 when not known
 * @param pid     peer process id, 0 when not known
 * @param program the process's name from {@code /proc/<pid>/comm}, or ""
 * @param note    why the pid is missing, or ""
 */
public record ControlPeer(String user, String group, long uid, long pid, String program, String note) {

    /** The terminal's own keypad (standard input in development). */
    public static final ControlPeer KEYPAD = new ControlPeer("keypad", "", -1, 0, "keypad", "");

    /** The card center's configuration stream. */
    public static final ControlPeer CENTER = new ControlPeer("center", "", -1, 0, "sync", "");

    /** A connection whose credentials the kernel would not give (not on Linux). */
    static ControlPeer unknown(String why) {
        return new ControlPeer("unknown", "", -1, 0, "", why);
    }

    /** From the kernel's credentials of a connection: names, and the uid from the name. */
    static ControlPeer of(UserPrincipal user, java.nio.file.attribute.GroupPrincipal group) {
        return new ControlPeer(user.getName(), group.getName(), uidOf(user.getName()), 0, "", "");
    }

    /** The uid of a user name: the name itself when numeric (no passwd entry), else from /etc/passwd. */
    static long uidOf(String name) {
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            return Long.parseLong(name);
        }
        try (var lines = Files.lines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
            return lines.map(l -> l.split(":", -1)).filter(f -> f.length > 2 && f[0].equals(name))
                    .mapToLong(f -> Long.parseLong(f[2])).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Adds the pid the client claims, if {@code /proc/<pid>} is a live process of this peer's user. */
    ControlPeer withClaimedPid(long claimed, UserPrincipal kernelUser) {
        if (claimed <= 0 || claimed == pid) {
            return this;
        }
        Path proc = Path.of("/proc", Long.toString(claimed));
        try {
            UserPrincipal owner = Files.getOwner(proc);
            if (kernelUser == null || !owner.equals(kernelUser)) {
                return new ControlPeer(user, group, uid, 0, "", "claimed pid " + claimed + " is not a process of " + user);
            }
            long u = ((Number) Files.getAttribute(proc, "unix:uid")).longValue();
            String comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
            return new ControlPeer(user, group, u, claimed, comm, "");
        } catch (IOException | RuntimeException e) {
            return new ControlPeer(user, group, uid, 0, "", "claimed pid " + claimed + " not found in /proc");
        }
    }

    /** For logs and the audit trail: {@code uid 1001 (alice) pid 4242 java}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (uid >= 0) {
            sb.append("uid ").append(uid).append(" (").append(user).append(')');
        } else {
            sb.append(user);
        }
        if (pid > 0) {
            sb.append(" pid ").append(pid);
            if (!program.isEmpty()) {
                sb.append(' ').append(program);
            }
        }
        if (!note.isEmpty()) {
            sb.append(" [").append(note).append(']');
        }
        return sb.toString();
    }
}
