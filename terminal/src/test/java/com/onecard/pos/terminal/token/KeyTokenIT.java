package com.onecard.pos.terminal.token;

import com.onecard.pos.sync.keys.KeyCheckValue;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import com.onecard.pos.terminal.testutil.ProvisionedTerminal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key token as scripts/provision makes it (real SoftHSM2, real pkcs11-tool): one key per
 * purpose, none readable, each computing what the center derives; no PIN on any command line
 * of the provisioning.
 */
class KeyTokenIT {
    static ProvisionedTerminal keys;
    static Path argvLog;

    @BeforeAll
    static void provision(@TempDir Path dir) throws Exception {
        // every program the provisioning runs goes through a shim that writes down its command line
        Path shims = dir.resolve("shims");
        Files.createDirectories(shims);
        argvLog = dir.resolve("argv.log");
        for (String program : new String[]{"pkcs11-tool", "java", "openssl", "softhsm2-util"}) {
            String real = which(program);
            Path shim = shims.resolve(program);
            Files.writeString(shim, "#!/bin/sh\nprintf '%s\\n' \"" + program + " $*\" >> '" + argvLog + "'\nexec '" + real + "' \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        keys = ProvisionedTerminal.provision(dir.resolve("keys"), Map.of("PATH", shims + ":" + System.getenv("PATH")), "T01");
    }

    private static String which(String program) throws IOException {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IOException(program + " not on PATH");
    }

    private static String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String pkcs11(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", ProvisionedTerminal.LIBRARY,
                "--slot", Files.readString(keys.terminalDir("T01").resolve("token.slot")).strip(), "--login", "--pin", "env:PIN"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(keys.env("T01"));
        env.put("PIN", Files.readString(keys.terminalDir("T01").resolve("token.pin")).strip());
        return run(env, cmd.toArray(String[]::new));
    }

    @Test
    void eachKeyIsInTheTokenForItsOwnUseAndNoneCanBeReadOut() throws Exception {
        String objects = pkcs11("--list-objects");
        for (String block : objects.split("(?=Secret Key Object|Private Key Object|Certificate Object)")) {
            if (block.startsWith("Secret Key Object") || block.startsWith("Private Key Object")) {
                String access = block.lines().filter(l -> l.strip().startsWith("Access:")).findFirst().orElse("");
                assertThat(access).as(block).contains("sensitive").doesNotContain("extractable");
            }
        }
        assertThat(objects).contains("onecard-journal-mac", "onecard-qr-mac", "onecard-card-keya", "onecard-tls");
        for (String label : new String[]{KeyToken.JOURNAL_MAC, KeyToken.QR_MAC, KeyToken.CARD_KEY_A}) {
            String read = pkcs11("--read-object", "--type", "secrkey", "--label", label);
            assertThat(read).as(label).contains("CKR_ATTRIBUTE_SENSITIVE");
        }
        assertThat(Files.list(keys.terminalDir("T01")).map(p -> p.getFileName().toString()))
                .as("no key file is left beside the token").doesNotContain("terminal.key", "terminal.secret", ".terminal.key.import");
    }

    @Test
    void theTokensKeysComputeWhatTheCenterDerivesAndReportTheirCheckValues() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TokenProbe.class.getName(), ProvisionedTerminal.LIBRARY,
                Files.readString(keys.terminalDir("T01").resolve("token.slot")).strip(),
                keys.terminalDir("T01").resolve("token.pin").toString());
        String out = run(keys.env("T01"), cmd.toArray(String[]::new));
        byte[] secret = keys.secret("T01");
        byte[] keyA = HexFormat.of().parseHex(Files.readString(keys.dir().resolve("issuer/card-keya.key")).strip());
        assertThat(out).contains("onecard-journal-mac kcv=" + KeyCheckValue.of(TerminalKeySchedule.journalKey(secret)) + " readable=false")
                .contains("onecard-qr-mac kcv=" + KeyCheckValue.of(TerminalKeySchedule.qrKey(secret, "T01")) + " readable=false")
                .contains("onecard-card-keya kcv=" + KeyCheckValue.of(keyA) + " readable=false")
                .contains("tls ok");
        assertThat(Files.readString(keys.terminalDir("T01").resolve("check-values")))
                .contains("onecard-journal-mac=" + KeyCheckValue.of(TerminalKeySchedule.journalKey(secret)));
    }

    @Test
    void noPinOrKeyEverAppearsOnACommandLineOfTheProvisioning() throws Exception {
        String argv = Files.readString(argvLog);
        assertThat(argv).contains("pkcs11-tool").contains("TokenImport");
        String userPin = Files.readString(keys.terminalDir("T01").resolve("token.pin")).strip();
        String soPin = Files.readString(keys.dir().resolve("center/terminals/T01.so-pin")).strip();
        String secret = Files.readString(keys.dir().resolve("center/terminals/T01.secret")).strip();
        assertThat(argv).doesNotContain(userPin).doesNotContain(soPin).doesNotContain(secret);
    }

    @Test
    void provisioningTheSameFolderAgainSucceedsAndKeepsEveryKey() throws Exception {
        Path t = keys.terminalDir("T01");
        String checkValues = Files.readString(t.resolve("check-values"));
        String slot = Files.readString(t.resolve("token.slot"));
        String cert = Files.readString(t.resolve("terminal.pem"));
        // a second run over an existing folder (a re-run of the simulator or the benchmarks) exits 0
        ProvisionedTerminal again = ProvisionedTerminal.provision(keys.dir(), "T01");
        assertThat(again.dir()).isEqualTo(keys.dir());
        assertThat(Files.readString(t.resolve("check-values"))).isEqualTo(checkValues);
        assertThat(Files.readString(t.resolve("token.slot"))).isEqualTo(slot);
        assertThat(Files.readString(t.resolve("terminal.pem"))).as("the TLS identity is kept").isEqualTo(cert);
    }

    @Test
    void theSecretFilesOfTheProvisioningAreReadableByTheirOwnerOnly() throws Exception {
        for (Path p : List.of(keys.terminalDir("T01").resolve("token.pin"), keys.dir().resolve("center/terminals/T01.secret"),
                keys.dir().resolve("center/terminals/T01.so-pin"), keys.dir().resolve("issuer/card-master.key"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rw-------");
        }
    }
}
