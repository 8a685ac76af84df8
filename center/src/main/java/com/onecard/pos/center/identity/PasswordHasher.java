package com.onecard.pos.center.identity;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes (RFC 9106) through BouncyCastle, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, unpadded base64) so the cost travels with
 * each hash and can be raised later. The default cost is OWASP's first Argon2id choice
 * (19 MiB, 2 passes, 1 lane). Thread-safe.
 */
public final class PasswordHasher {
    /**
     * Argon2id cost.
     *
     * @param memoryKib   memory per hash, KiB (at least 8 × parallelism)
     * @param iterations  passes over the memory, at least 1
     * @param parallelism lanes, 1..16
     */
    public record Cost(int memoryKib, int iterations, int parallelism) {
        public Cost {
            if (parallelism < 1 || parallelism > 16) {
                throw new IllegalArgumentException("argon2 parallelism must be 1..16, got " + parallelism);
            }
            if (iterations < 1 || iterations > 100) {
                throw new IllegalArgumentException("argon2 iterations must be 1..100, got " + iterations);
            }
            if (memoryKib < 8 * parallelism || memoryKib > 4 * 1024 * 1024) {
                throw new IllegalArgumentException("argon2 memory must be 8×parallelism..4194304 KiB, got " + memoryKib);
            }
        }

        /** Parses {@code m=19456,t=2,p=1}; IllegalArgumentException naming the bad part. */
        public static Cost parse(String s) {
            Matcher m = Pattern.compile("m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})").matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("argon2 cost must look like m=19456,t=2,p=1, got '" + s + "'");
            }
            return new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }

        @Override
        public String toString() {
            return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
        }
    }

    public static final Cost OWASP = new Cost(19_456, 2, 1);

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher(Cost cost) {
        this.cost = cost;
    }

    public Cost cost() {
        return cost;
    }

    /** A new salted hash of {@code password} at this hasher's cost. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, cost, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$" + cost + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }

    /** True when {@code password} is the one hashed; false for a wrong one or a malformed hash. */
    public boolean matches(String phc, String password) {
        if (phc == null || password == null) {
            return false;
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        Cost c;
        byte[] salt;
        byte[] expected;
        try {
            c = new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            salt = Base64.getDecoder().decode(m.group(4));
            expected = Base64.getDecoder().decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, c, expected.length));
    }

    private static byte[] derive(String password, byte[] salt, Cost c, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(c.memoryKib())
                .withIterations(c.iterations())
                .withParallelism(c.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(params);
        byte[] out = new byte[length];
        g.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
