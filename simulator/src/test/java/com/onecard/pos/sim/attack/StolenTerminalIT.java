package com.onecard.pos.sim.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.issuer.CardIssuer;
import com.onecard.pos.issuer.IssuerKeys;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.card.LegacyTickets;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacker walks off with a copy of terminal T01's whole disk and its key token's files
 * (SoftHSM2's token folder and the PIN file: the worst case, a stolen SD card), and tries what the
 * issue names: a card for another account, a re-signed edited journal row, a card password from
 * the database, and a payment code for another terminal. Each attempt fails; the test writes why
 * beside it ({@code target/it-stolen-terminal/report.txt}) and asserts that reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StolenTerminalIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target/it-stolen-terminal").toAbsolutePath();
    static final HexFormat HEX = HexFormat.of();
    static final List<String> REPORT = new ArrayList<>();
    static Simulation sim;
    static Window t01;
    static Path loot;
    static String slot;

    @BeforeAll
    static void stealTheDisk() throws Exception {
        if (Files.exists(WORK)) {
            try (var w = Files.walk(WORK)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(WORK);
        sim = new Simulation(ROOT, WORK.resolve("sim"), 11, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .terminals(2);
        sim.setUp(8);
        t01 = sim.windows().get(0);
        for (Student s : payers()) {
            assertThat(t01.tap(s, 300).approved()).isTrue();
        }
        com.onecard.pos.center.testing.Await.until(Duration.ofSeconds(30), () -> backlog(t01) == 0,
                () -> "T01's backlog: " + backlog(t01));
        assertThat(backlog(t01)).as("T01's sales uploaded before its disk is copied").isZero();
        // the SD card is pulled: everything on the terminal's disk, its token folder and the PIN file
        t01.terminal().close();
        loot = WORK.resolve("loot");
        Path keys = WORK.resolve("sim/keys");
        copyTree(WORK.resolve("sim/T01"), loot.resolve("var/lib/onecard-pos"));
        copyTree(keys.resolve("terminals/T01"), loot.resolve("etc/onecard-pos/keys"));
        Files.copy(keys.resolve("ca.pem"), loot.resolve("etc/onecard-pos/keys/ca.pem"));
        Files.copy(keys.resolve("issuer/issuer.pub.pem"), loot.resolve("etc/onecard-pos/keys/issuer.pub.pem"));
        Path token = loot.resolve("etc/onecard-pos/keys/token");
        Files.writeString(token.resolve("softhsm2.conf"), "directories.tokendir = " + token.resolve("tokens") + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\n");
        slot = Files.readString(loot.resolve("etc/onecard-pos/keys/token.slot")).strip();
        sim.restartTerminal(t01);
    }

    @AfterAll
    static void stop() throws IOException {
        if (sim != null) {
            sim.close();
        }
        Files.write(WORK.resolve("report.txt"), REPORT);
    }

    static List<Student> payers() {
        return sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).limit(3).toList();
    }

    static void report(String attempt, String outcome, String why) {
        REPORT.add(attempt + "\n    outcome: " + outcome + "\n    why: " + why);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else if (!p.getFileName().toString().endsWith(".sock")) {
                    Files.createDirectories(d.getParent());
                    Files.copy(p, d, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Runs {@link AttackerTool} on the stolen token in a JVM of its own. */
    static String tool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AttackerTool.class.getName(), "/usr/lib/softhsm/libsofthsm2.so", slot,
                loot.resolve("etc/onecard-pos/keys/token.pin").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", loot.resolve("etc/onecard-pos/keys/token/softhsm2.conf").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    static Path lootDb() {
        return loot.resolve("var/lib/onecard-pos/data/terminal.db");
    }

    /** A card from sectors, with a key B the attacker chose (it never needs it). */
    static VirtualCard card(byte[] uid, Map<Integer, byte[]> blocks) {
        return VirtualCard.campus(uid, new CardIssuer.Sectors(blocks));
    }

    static JsonNode sale(VirtualCard card) throws Exception {
        return t01.sale(card, 800);
    }

    @Test
    @Order(1)
    void nothingOnTheDiskOrInTheTokenMakesCards() throws Exception {
        Path desk = WORK.resolve("sim/keys/issuer");
        String master = Files.readString(desk.resolve(IssuerKeys.MASTER)).strip();
        String signing = Files.readString(desk.resolve(IssuerKeys.SIGNING)).lines().filter(l -> !l.startsWith("-----"))
                .findFirst().orElseThrow();
        List<String> found = new ArrayList<>();
        try (var s = Files.walk(loot)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                if (text.contains(master) || text.contains(signing) || text.contains("BEGIN PRIVATE KEY")) {
                    found.add(loot.relativize(p).toString());
                }
            }
        }
        assertThat(found).as("files holding the master key or a private key").isEmpty();
        String objects = String.join(",", tokenLabels());
        assertThat(objects).doesNotContain("master").doesNotContain("issuer");
        report("look for the issuer's keys on the disk and in the token",
                "none: the disk has no master key and no private key file; the token holds " + objects,
                "the card master key and the issuer signing key exist only at the issuer's desk; a terminal holds the"
                        + " issuer's public key and, in its token, the key-A derivation key, which reads cards and signs nothing");
    }

    static List<String> tokenLabels() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("pkcs11-tool", "--module", "/usr/lib/softhsm/libsofthsm2.so", "--slot", slot,
                "--login", "--pin", "env:PIN", "--list-objects").redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", loot.resolve("etc/onecard-pos/keys/token/softhsm2.conf").toString());
        pb.environment().put("PIN", Files.readString(loot.resolve("etc/onecard-pos/keys/token.pin")).strip());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.lines().filter(l -> l.strip().startsWith("label:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    @Order(2)
    void aCardForAnotherAccountFailsItsSignature() throws Exception {
        Student victim = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL && !Simulation.layout1(s))
                .reduce((a, b) -> b).orElseThrow();
        // the stolen account cache gives the victim's card UID and counter
        byte[] uid;
        long counter;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lootDb());
             ResultSet rs = c.createStatement().executeQuery("SELECT card_uid, card_serial FROM accounts WHERE account_id=" + victim.accountId())) {
            assertThat(rs.next()).isTrue();
            uid = rs.getBytes(1);
            counter = rs.getLong(2);
        }
        PublicKeyLoot issuer = PublicKeyLoot.read(loot.resolve("etc/onecard-pos/keys/issuer.pub.pem"));
        byte[] keyA = HEX.parseHex(tool("keya", HEX.formatHex(uid)));
        byte[] b4 = CampusLayout.encodeV2(new CardData(victim.accountId(), counter, 0), (int) LocalDate.now().toEpochDay(), issuer.keyId());
        byte[] sig = HEX.parseHex(tool("sign", HEX.formatHex(CampusLayout.signedMessage(uid, b4))));
        Map<Integer, byte[]> blocks = sectors(keyA, b4, sig);
        JsonNode forged = sale(card(uid, blocks));
        byte[] read = Arrays.copyOf(b4, 80);
        System.arraycopy(sig, 0, read, 16, 64);
        var v = issuer.card(keyA).verify(uid, read);
        assertThat(forged.path("approved").asBoolean()).isFalse();
        assertThat(forged.path("reason").asText()).isEqualTo("BAD_CREDENTIAL");
        assertThat(v.result()).isEqualTo(CampusCard.Result.BAD_SIGNATURE);
        report("a card for account " + victim.accountId() + ": its UID and counter from the stolen cache, key A computed by the"
                        + " stolen token, block 4 for that account signed with the only private key in the token (its TLS key)",
                "declined " + forged.path("reason").asText() + " at T01; the card check says " + v.result(),
                "key A opens the card, but the data must carry the issuer's ECDSA signature over UID and block 4, which"
                        + " only the issuer's private key makes; a signature by any other key fails under the issuer's public key");

        VirtualCard genuine = sim.card(victim);
        Map<Integer, byte[]> copied = new TreeMap<>();
        for (int b : new int[]{4, 5, 6, 8, 9, 10}) {
            copied.put(b, genuine.block(b));
        }
        byte[] otherUid = {0x04, 0x0D, 0x0E, 0x0A};
        byte[] otherKeyA = HEX.parseHex(tool("keya", HEX.formatHex(otherUid)));
        copied.put(7, trailer(otherKeyA));
        copied.put(11, trailer(otherKeyA));
        JsonNode moved = sale(card(otherUid, copied));
        assertThat(moved.path("reason").asText()).isEqualTo("BAD_CREDENTIAL");
        report("the victim's genuine signed data copied onto a card with another UID",
                "declined " + moved.path("reason").asText(), "the issuer's signature covers the UID: data signed for one card fails on any other");
    }

    @Test
    @Order(3)
    void aLayoutOneCardForAnotherAccountFailsItsTicket() throws Exception {
        Student victim = sim.students().stream().filter(Simulation::layout1).findFirst().orElseThrow();
        byte[] ticket;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lootDb());
             ResultSet rs = c.createStatement().executeQuery("SELECT card_v1_ticket FROM accounts WHERE account_id=" + victim.accountId())) {
            assertThat(rs.next()).isTrue();
            ticket = rs.getBytes(1);
        }
        byte[] keyA = Arrays.copyOf(ticket, 6);
        Map<Integer, byte[]> blocks = new TreeMap<>();
        blocks.put(4, CampusLayout.encodeV1(new CardData(victim.accountId(), victim.cardSerial(), 0)));
        blocks.put(5, new byte[16]); // the MAC block needs the master key; the attacker has none
        blocks.put(6, new byte[16]);
        blocks.put(7, trailer(keyA));
        JsonNode forged = sale(card(victim.uid(), blocks));
        assertThat(forged.path("reason").asText()).isEqualTo("BAD_CREDENTIAL");
        report("a layout-1 card for account " + victim.accountId() + " with the key A from its ticket in the stolen cache",
                "declined " + forged.path("reason").asText(),
                "the ticket fixes the digest of the card's blocks 4 and 5, and block 5 is an HMAC under the issuer's master"
                        + " key, which no terminal holds: a ticket reads one genuine card, it makes none");
    }

    @Test
    @Order(4)
    void aPaymentCodeForAnotherTerminalIsRefusedByTheCenter() throws Exception {
        Student payer = payers().get(0);
        String forT02 = tool("qr", "T02", "T02-9001", "1200");
        JsonNode paid = sim.app(payer).pay(forT02, payer.password());
        assertThat(paid.path("code").asText()).as(paid.toString()).isEqualTo("BAD_MAC");
        String forT01 = tool("qr", "T01", "T01-9001", "1200");
        byte[] secretT01 = HEX.parseHex(Files.readString(WORK.resolve("sim/keys/center/terminals/T01.secret")).strip());
        var own = new CampusQr().verify(forT01, TerminalKeySchedule.qrKey(secretT01, "T01"), Instant.now());
        assertThat(own.ok()).as("the tool's MAC is T01's own QR key: it works, for T01 only").isTrue();
        report("a payment code naming terminal T02, MAC'd with the stolen token's QR key",
                "refused by the center: " + paid.path("code").asText(),
                "each terminal's QR key is HKDF of its own secret and its id; the center checks a code naming T02 with T02's key,"
                        + " which is on no other terminal (the same tool's code for T01 does verify under T01's key)");
    }

    @Test
    @Order(5)
    void noCardPasswordCanBeRecoveredFromTheDatabase() throws Exception {
        long withVerifier;
        long accounts;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lootDb());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), SUM(pin_verifier <> '') FROM accounts")) {
            rs.next();
            accounts = rs.getLong(1);
            withVerifier = rs.getLong(2);
        }
        List<String> files = new ArrayList<>();
        try (var s = Files.walk(loot)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("pbkdf2-sha256$")) {
                    files.add(loot.relativize(p).toString());
                }
            }
        }
        assertThat(accounts).isPositive();
        assertThat(withVerifier).isZero();
        assertThat(files).isEmpty();
        report("recover card passwords from the stolen account cache (" + accounts + " accounts)",
                "nothing to crack: no account has a password verifier, and no file on the disk holds one",
                "terminals hold no card-password verifiers: a sale above the PIN threshold sends the typed password to the"
                        + " center, which alone checks it and counts wrong tries");
    }

    @Test
    @Order(6)
    void theJournalKeyStaysInTheTokenAndAReSealedJournalIsCaughtByTheCenter() throws Exception {
        String extract = tool("extract", "onecard-journal-mac");
        assertThat(extract).startsWith("refused");
        report("read the journal MAC key out of the stolen token", extract,
                "the key was imported sensitive and not extractable: the token computes MACs with it and gives out nothing");

        String resigned = tool("resign", lootDb().toString(), "2");
        assertThat(resigned).startsWith("re-sealed");
        // the doctored journal (row 2 now 1 fen, every row after it re-sealed with the token, the anchor file
        // removed) goes back onto the terminal
        t01.terminal().close();
        Path data = WORK.resolve("sim/T01/data");
        for (String f : new String[]{"terminal.db", "terminal.db-wal", "terminal.db-shm", "terminal.db.anchor"}) {
            Files.deleteIfExists(data.resolve(f));
        }
        Files.copy(lootDb(), data.resolve("terminal.db"));
        t01.terminal().start(Duration.ofSeconds(30));
        com.onecard.pos.center.testing.Await.until(Duration.ofSeconds(30), () -> !journalAlarm(t01).isEmpty(),
                () -> "a journal alarm on T01");
        String alarm = journalAlarm(t01);
        assertThat(alarm).contains("not the row the center applied");
        report("edit journal row 2 to 1 fen, re-seal the chain with the stolen token's journal key, remove the anchor file,"
                        + " and run the terminal on it",
                "the journal verifies locally, but at the next connection the terminal stops uploading: " + alarm,
                "the chain's head (sequence and MAC) is anchored at the center with every acknowledgement: a re-sealed row"
                        + " cannot reproduce the MAC the center already holds for that sequence, so the edit shows and nothing"
                        + " the center applied changes");
    }

    static Map<Integer, byte[]> sectors(byte[] keyA, byte[] b4, byte[] sig) {
        Map<Integer, byte[]> m = new TreeMap<>();
        m.put(4, b4);
        int[] blocks = CampusLayout.V2_SIGNATURE_BLOCKS;
        for (int i = 0; i < blocks.length; i++) {
            m.put(blocks[i], Arrays.copyOfRange(sig, 16 * i, 16 * i + 16));
        }
        m.put(10, new byte[16]);
        m.put(7, trailer(keyA));
        m.put(11, trailer(keyA));
        return m;
    }

    static byte[] trailer(byte[] keyA) {
        byte[] t = new byte[16];
        System.arraycopy(keyA, 0, t, 0, 6);
        System.arraycopy(CampusLayout.ACCESS_BITS, 0, t, 6, 4);
        Arrays.fill(t, 10, 16, (byte) 0x5A);
        return t;
    }

    /** The issuer's public key as found on the stolen disk, and a card check built on it. */
    record PublicKeyLoot(java.security.PublicKey key) {
        static PublicKeyLoot read(Path pem) throws IOException {
            return new PublicKeyLoot(IssuerKeys.readPublicKey(pem));
        }

        int keyId() {
            return CampusCard.keyId(key);
        }

        /** The terminal's card check, with a key-A key that only feeds {@link CampusCard#keyA} (not used here). */
        CampusCard card(byte[] unused) {
            return new CampusCard(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"), Map.of(keyId(), key),
                    LegacyTickets.NONE);
        }
    }

    private static long backlog(Window w) {
        try {
            return w.terminal().call("status").path("backlog").path("count").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String journalAlarm(Window w) {
        try {
            return w.terminal().call("status").path("sync").path("journal_alarm").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
