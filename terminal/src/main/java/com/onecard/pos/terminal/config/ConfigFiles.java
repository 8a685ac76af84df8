package com.onecard.pos.terminal.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the files and folders the keys name, by each key's {@link ConfigKey.FileRule}: what a
 * restart cannot fix must stop the daemon with exit 2, not loop under systemd. Key material is
 * read to check its form only and never appears in a message.
 */
final class ConfigFiles {
    private static final Pattern CN = Pattern.compile("(?:^|,)\\s*CN=([^,]+)");

    private ConfigFiles() {
    }

    static void check(ConfigValues v) throws ConfigException {
        for (ConfigKey k : ConfigKeys.all()) {
            if ((k.type() == ConfigKey.Type.PATH || k.type() == ConfigKey.Type.OPTIONAL_PATH) && k.file() != ConfigKey.FileRule.NONE
                    && v.path(k.name()) != null && k.fileNeeded().test(v)) {
                check(k, v.path(k.name()));
            }
        }
        if (v.str("display.kind").equals("fb") && !Files.exists(v.path("display.path"))) {
            throw new ConfigException("display.path: framebuffer device " + v.path("display.path") + " does not exist");
        }
        if (!v.str("center.host").isEmpty()) {
            certificateNamesTerminal(v.path("center.cert"), v.str("terminal.id"));
        }
        String group = v.str("control.group");
        if (!group.isEmpty()) {
            try {
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            } catch (UserPrincipalNotFoundException e) {
                throw new ConfigException("control.group: no group '" + group + "' on this machine");
            } catch (IOException e) {
                throw new ConfigException("control.group: cannot look up group '" + group + "': " + reason(e));
            }
        }
    }

    private static void check(ConfigKey k, Path p) throws ConfigException {
        String key = k.name();
        switch (k.file()) {
            case NONE -> { }
            case FOLDER_EXISTS -> {
                Path parent = p.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw new ConfigException(key + ": folder " + parent + " does not exist");
                }
            }
            case FOLDER_CREATABLE -> {
                Path at = k.name().equals("terminal.data-dir") ? p.toAbsolutePath() : p.toAbsolutePath().getParent();
                while (at != null && !Files.exists(at)) {
                    at = at.getParent();
                }
                if (at != null && !Files.isDirectory(at)) {
                    throw new ConfigException(key + ": " + p + " cannot be created: " + at + " is a file, not a folder");
                }
            }
            case READABLE -> {
                if (!Files.exists(p)) {
                    throw new ConfigException(key + ": " + p + " does not exist");
                }
                if (!Files.isReadable(p)) {
                    throw new ConfigException(key + ": " + p + " cannot be read by this user");
                }
            }
            case HEX_KEY -> hexKey(key, p);
            case PEM_CERTIFICATE -> certificate(key, p);
            case PEM_PRIVATE_KEY -> {
                String text = read(key, p, "private key");
                if (!text.contains("-----BEGIN") || !text.contains("PRIVATE KEY-----")) {
                    throw new ConfigException(key + ": " + p + " is not a PEM private key (no BEGIN ... PRIVATE KEY line)");
                }
            }
        }
    }

    private static void hexKey(String key, Path p) throws ConfigException {
        String text = read(key, p, "key").trim();
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + p + " is not a hex key file (from scripts/provision)");
        }
        if (bytes.length < 16) {
            throw new ConfigException(key + ": " + p + " holds " + bytes.length + " bytes; a key needs at least 16");
        }
        java.util.Arrays.fill(bytes, (byte) 0);
    }

    private static X509Certificate certificate(String key, Path p) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ConfigException(key + ": certificate " + p + " " + reason(e));
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException | ClassCastException e) {
            throw new ConfigException(key + ": " + p + " is not a PEM certificate");
        }
    }

    /** The certificate's CN is the only terminal id the center lets this connection speak for. */
    private static void certificateNamesTerminal(Path cert, String terminalId) throws ConfigException {
        X509Certificate c = certificate("center.cert", cert);
        Matcher m = CN.matcher(c.getSubjectX500Principal().getName());
        String cn = m.find() ? m.group(1).trim() : "";
        if (!cn.equals(terminalId)) {
            throw new ConfigException("center.cert: " + cert + " is for CN=" + cn + ", but terminal.id=" + terminalId
                    + "; the center accepts a terminal only under its certificate's name");
        }
    }

    private static String read(String key, Path p, String what) throws ConfigException {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key + ": " + what + " file " + p + " " + reason(e));
        }
    }

    /** Why a file could not be read, in words (never an exception's class name). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read by this user (permissions)";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "is not text";
        }
        return "cannot be read (" + (e.getMessage() == null ? "I/O error" : e.getMessage()) + ")";
    }
}
