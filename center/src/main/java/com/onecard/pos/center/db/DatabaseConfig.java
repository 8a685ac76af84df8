package com.onecard.pos.center.db;

import java.util.Objects;

/**
 * Where the ledger lives.
 *
 * @param url      a JDBC URL, {@code jdbc:postgresql://host:port/db}
 * @param user     database role
 * @param password the role's password; never printed ({@link #toString()} masks it)
 * @param poolSize connections in the pool (HikariCP {@code maximumPoolSize}), 1..200
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {
    public DatabaseConfig {
        Objects.requireNonNull(url, "database url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database url must start with jdbc:postgresql:, got " + url);
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("database pool size must be 1..200, got " + poolSize);
        }
    }

    public DatabaseConfig withPoolSize(int size) {
        return new DatabaseConfig(url, user, password, size);
    }

    public DatabaseConfig withUrl(String otherUrl) {
        return new DatabaseConfig(otherUrl, user, password, poolSize);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + "]";
    }
}
