package com.onecard.pos.issuer;

import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CampusCard.Result;
import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.card.CardKeys;
import com.onecard.pos.reader.card.LegacyTicket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Cards the desk issues verify on a terminal that holds only the key-A derivation key and the public key; nothing else does. */
class CardIssuerTest {
    static final byte[] UID = HexFormat.of().parseHex("04A1B2C3");
    static final byte[] OTHER_UID = HexFormat.of().parseHex("04A1B2C4");
    static final CardData DATA = new CardData(20260001L, 2, (int) LocalDate.of(2030, 7, 1).toEpochDay());

    @TempDir
    Path dir;
    IssuerKeys keys;
    CardIssuer issuer;
    CampusCard terminal;

    @BeforeEach
    void desk() throws Exception {
        keys = IssuerKeys.init(dir.resolve("issuer"));
        issuer = new CardIssuer(keys);
        terminal = new CampusCard(keys.keyADerivation(), Map.of(keys.keyId(), IssuerKeys.readPublicKey(dir.resolve("issuer/issuer.pub.pem"))),
                uid -> Arrays.equals(uid, UID) ? Optional.of(issuer.ticket(UID, DATA)) : Optional.empty());
    }

    /** What the reader returns for a layout-2 card: block 4, then blocks 5, 6, 8, 9. */
    static byte[] read(CardIssuer.Sectors s) {
        byte[] out = Arrays.copyOf(s.blocks().get(4), 80);
        int[] b = CampusLayout.V2_SIGNATURE_BLOCKS;
        for (int i = 0; i < b.length; i++) {
            System.arraycopy(s.blocks().get(b[i]), 0, out, 16 + 16 * i, 16);
        }
        return out;
    }

    @Test
    void aCardOfTheDeskVerifiesAndSaysWhatItWasIssuedFor() {
        var s = issuer.issue(UID, DATA, LocalDate.of(2026, 9, 1));
        var v = terminal.verify(UID, read(s));
        assertThat(v.result()).isEqualTo(Result.OK);
        assertThat(v.layout()).isEqualTo(2);
        assertThat(v.data()).isEqualTo(DATA);
        assertThat(s.blocks().get(4)[0]).isEqualTo((byte) 2);
        assertThat(CampusLayout.issuerKeyId(s.blocks().get(4))).isEqualTo(keys.keyId());
    }

    @Test
    void blockFourHasTheDocumentedLayout() {
        byte[] b4 = CampusLayout.encodeV2(new CardData(0x01020304L, 0x0A0B0C0DL, 0x1234), 0x5678, 0x9A);
        assertThat(HexFormat.of().formatHex(b4)).isEqualTo("02" + "01020304" + "0a0b0c0d" + "1234" + "5678" + "9a" + "0000");
    }

    @Test
    void anEditedBlockFourOrACopyOnAnotherUidFailsTheSignature() {
        byte[] good = read(issuer.issue(UID, DATA, LocalDate.of(2026, 9, 1)));
        byte[] edited = good.clone();
        edited[4] ^= 0x01; // another account
        assertThat(terminal.verify(UID, edited).result()).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(terminal.verify(OTHER_UID, good).result()).isEqualTo(Result.BAD_SIGNATURE);
        byte[] badSig = good.clone();
        badSig[79] ^= 0x01;
        assertThat(terminal.verify(UID, badSig).result()).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void aCardSignedByAnotherDeskIsNotAccepted() throws Exception {
        CardIssuer rogue = new CardIssuer(IssuerKeys.init(dir.resolve("rogue")));
        var v = terminal.verify(UID, read(rogue.issue(UID, DATA, LocalDate.of(2026, 9, 1))));
        assertThat(v.result()).isIn(Result.UNKNOWN_ISSUER_KEY, Result.BAD_SIGNATURE);
        assertThat(v.data()).isNull();
    }

    @Test
    void blockFourAloneIsAcceptedOnlyForACardVerifiedBefore() {
        byte[] full = read(issuer.issue(UID, DATA, LocalDate.of(2026, 9, 1)));
        byte[] b4 = Arrays.copyOf(full, 16);
        assertThat(terminal.alreadyVerified(UID, b4)).isFalse();
        assertThat(terminal.verify(UID, b4).result()).isEqualTo(Result.NOT_VERIFIED);
        assertThat(terminal.verify(UID, full).result()).isEqualTo(Result.OK);
        assertThat(terminal.alreadyVerified(UID, b4)).isTrue();
        assertThat(terminal.verify(UID, b4).result()).isEqualTo(Result.OK);
        byte[] other = b4.clone();
        other[8] ^= 1; // another card counter under the same UID was never verified
        assertThat(terminal.verify(UID, other).result()).isEqualTo(Result.NOT_VERIFIED);
    }

    @Test
    void theTerminalsKeyOpensTheCardAndCannotWriteIt() {
        var s = issuer.issue(UID, DATA, LocalDate.of(2026, 9, 1));
        byte[] trailer = s.blocks().get(7);
        assertThat(Arrays.copyOf(trailer, 6)).isEqualTo(terminal.keyA(UID)).isEqualTo(CardKeys.keyA(keys.keyADerivation(), UID));
        assertThat(Arrays.copyOfRange(trailer, 10, 16)).as("key B is not derivable from the terminal's key")
                .isNotEqualTo(CardKeys.keyB(keys.keyADerivation(), UID)).isNotEqualTo(Arrays.copyOf(trailer, 6));
        assertThat(s.blocks().get(11)).isEqualTo(trailer);
        assertThat(terminal.keyA(OTHER_UID)).isNotEqualTo(terminal.keyA(UID));
    }

    @Test
    void layoutOneCardsAreReadWithTheirTicketOnly() {
        var s = issuer.issueLayout1(UID, DATA);
        byte[] b45 = Arrays.copyOf(s.blocks().get(4), 32);
        System.arraycopy(s.blocks().get(5), 0, b45, 16, 16);
        var v = terminal.verify(UID, b45);
        assertThat(v.result()).isEqualTo(Result.OK);
        assertThat(v.layout()).isEqualTo(1);
        assertThat(v.data()).isEqualTo(DATA);
        LegacyTicket t = terminal.legacyTicket(UID).orElseThrow();
        assertThat(t.keyA()).isEqualTo(Arrays.copyOf(s.blocks().get(7), 6));
        byte[] edited = b45.clone();
        edited[1] ^= 1;
        assertThat(terminal.verify(UID, edited).result()).isEqualTo(Result.BAD_MAC);
        assertThat(terminal.verify(OTHER_UID, b45).result()).isEqualTo(Result.NO_TICKET);
        assertThat(LegacyTicket.fromBytes(t.toBytes()).toBytes()).isEqualTo(t.toBytes());
    }

    @Test
    void unknownLayoutsAndLengthsAreRefused() {
        byte[] b4 = CampusLayout.encodeV2(DATA, 1, keys.keyId());
        b4[0] = 3;
        assertThat(terminal.verify(UID, Arrays.copyOf(b4, 80)).result()).isEqualTo(Result.BAD_LAYOUT);
        assertThat(terminal.verify(UID, new byte[33]).result()).isEqualTo(Result.BAD_LAYOUT);
        assertThat(terminal.verify(UID, null).result()).isEqualTo(Result.BAD_LAYOUT);
    }

    @Test
    void theDesksSecretFilesAreReadableByTheirOwnerOnly() throws Exception {
        for (String f : new String[]{IssuerKeys.MASTER, IssuerKeys.SIGNING, IssuerKeys.KEY_A_EXPORT}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("issuer").resolve(f)))).isEqualTo("rw-------");
        }
        byte[] master = Files.readAllBytes(dir.resolve("issuer/card-master.key"));
        IssuerKeys.init(dir.resolve("issuer"));
        assertThat(Files.readAllBytes(dir.resolve("issuer/card-master.key"))).as("init keeps existing keys").isEqualTo(master);
    }
}
