package com.onecard.pos.terminal.sale;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.reader.card.CampusLayout;
import com.onecard.pos.reader.card.CardData;
import com.onecard.pos.reader.card.LegacyTicket;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.TestConfigs;
import com.onecard.pos.terminal.testutil.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sale makes of a card that reads right: layout 2 checked against the account (card
 * counter, the card's own expiry), layout 1 against the campus's cut-over day, counted either
 * way. The issuer's signature is made here with a test key pair (the terminal module has no
 * signing code).
 */
class CardChecksTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final byte[] V2_UID = HexFormat.of().parseHex("04A1B2C3");
    static final byte[] V1_UID = HexFormat.of().parseHex("04A1B2C4");
    static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZONE);
    final List<SaleOutcome> outcomes = new ArrayList<>();
    Store store;
    KeyPair issuer;
    CampusCard cards;
    byte[] v1Blocks;

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(dir.resolve("t.db"), TestKeys.SECRET);
        store.accounts().applyAccounts(List.of(account(7, V2_UID, 2), account(8, V1_UID, 1)), 1);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        issuer = g.generateKeyPair();
        v1Blocks = Arrays.copyOf(CampusLayout.encodeV1(new CardData(8, 1, 0)), 32);
        Arrays.fill(v1Blocks, 16, 32, (byte) 0x3C); // block 5 as the issuer's master key made it
        LegacyTicket ticket = new LegacyTicket(new byte[6], LegacyTicket.digest(V1_UID, v1Blocks));
        cards = new CampusCard(TestKeys.mac(new byte[32]), Map.of(CampusCard.keyId(issuer.getPublic()), issuer.getPublic()),
                uid -> Arrays.equals(uid, V1_UID) ? Optional.of(ticket) : Optional.empty());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static AccountUpdate account(long id, byte[] uid, long counter) {
        return AccountUpdate.newBuilder().setAccountId(id).setCardUid(ByteString.copyFrom(uid)).setCardSerial((int) counter)
                .setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setSubsidyFen(0).setCashFen(5000).setVersion(1).build();
    }

    /** What the reader delivers for a layout-2 card issued with this data. */
    byte[] v2(byte[] uid, CardData d) throws Exception {
        byte[] b4 = CampusLayout.encodeV2(d, (int) TODAY.toEpochDay(), CampusCard.keyId(issuer.getPublic()));
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(issuer.getPrivate());
        s.update(CampusLayout.signedMessage(uid, b4));
        byte[] out = Arrays.copyOf(b4, 80);
        System.arraycopy(s.sign(), 0, out, 16, 64);
        return out;
    }

    SaleOutcome sale(byte[] uid, byte[] data, String... overrides) {
        // the issuer's public keys are given to the reader here (cards); the file only has to be named
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("card.issuer-public-keys",
                dir.resolve("issuer.pub.pem").toString()), Arrays.stream(overrides)).toArray(String[]::new);
        TerminalConfig cfg = TestConfigs.config(dir, all);
        SaleFlow f = new SaleFlow(cfg, store, null, cards, new QrIssuer(cfg.terminal(), TestKeys.mac(TestKeys.SECRET)),
                new SaleSignals() {
                    @Override
                    public void waitingForCard(String saleId, long amountFen) {
                    }

                    @Override
                    public void outcome(SaleOutcome o) {
                        outcomes.add(o);
                    }

                    @Override
                    public void idle() {
                    }

                    @Override
                    public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
                    }

                    @Override
                    public void qrClosed(String token, String saleId) {
                    }

                    @Override
                    public void message(String text) {
                    }

                    @Override
                    public void pinRequired(String saleId, long amountFen) {
                    }
                }, Runnable::run, clock);
        f.begin(300, null);
        f.onTap(new CardTap(uid, 4, 8, CardTap.CampusRead.OK, data, clock.instant()));
        lastFlow = f;
        return outcomes.get(outcomes.size() - 1);
    }

    SaleFlow lastFlow;

    @Test
    void theAccountsCurrentCardPays() throws Exception {
        assertThat(sale(V2_UID, v2(V2_UID, new CardData(7, 2, 0)), "reader.require-credential", "true").approved()).isTrue();
    }

    @Test
    void anOlderCardOfTheAccountIsRefusedAsReplaced() throws Exception {
        SaleOutcome o = sale(V2_UID, v2(V2_UID, new CardData(7, 1, 0)), "reader.require-credential", "true");
        assertThat(o.reason()).isEqualTo(DeclineReason.CARD_REPLACED);
    }

    @Test
    void aCardPastItsOwnExpiryIsRefused() throws Exception {
        int yesterday = (int) TODAY.minusDays(1).toEpochDay();
        SaleOutcome o = sale(V2_UID, v2(V2_UID, new CardData(7, 2, yesterday)), "reader.require-credential", "true");
        assertThat(o.reason()).isEqualTo(DeclineReason.EXPIRED);
        assertThat(sale(V2_UID, v2(V2_UID, new CardData(7, 2, (int) TODAY.toEpochDay())), "reader.require-credential", "true")
                .approved()).as("the expiry day itself still pays").isTrue();
    }

    @Test
    void aGenuineCardThatNamesAnotherAccountThanItsUidIsRefused() throws Exception {
        SaleOutcome o = sale(V2_UID, v2(V2_UID, new CardData(8, 2, 0)), "reader.require-credential", "true");
        assertThat(o.reason()).isEqualTo(DeclineReason.BAD_CREDENTIAL);
    }

    @Test
    void aLayoutOneCardPaysUpToTheCutOverDayAndIsCounted() {
        SaleOutcome o = sale(V1_UID, v1Blocks, "reader.require-credential", "true", "card.v1-accepted-until", TODAY.toString());
        assertThat(o.approved()).isTrue();
        sale(V1_UID, v1Blocks, "reader.require-credential", "true", "card.v1-accepted-until", TODAY.plusDays(30).toString());
        CardLayoutCounts c = lastFlow.cardLayoutCounts();
        assertThat(c.v1Accepted()).isEqualTo(1);
        assertThat(c.v1DistinctCards()).isEqualTo(1);
    }

    @Test
    void aLayoutOneCardAfterTheCutOverIsRefusedWithItsReasonAndCounted() {
        SaleOutcome o = sale(V1_UID, v1Blocks, "reader.require-credential", "true",
                "card.v1-accepted-until", TODAY.minusDays(1).toString());
        assertThat(o.reason()).isEqualTo(DeclineReason.OLD_CARD_LAYOUT);
        assertThat(o.reason().message()).contains("old card type retired");
        assertThat(lastFlow.cardLayoutCounts().v1Refused()).isEqualTo(1);
        assertThat(lastFlow.cardLayoutCounts().v1Accepted()).isZero();
    }

    @Test
    void withoutACutOverDayLayoutOneCardsAreRefused() {
        assertThat(sale(V1_UID, v1Blocks, "reader.require-credential", "true").reason()).isEqualTo(DeclineReason.OLD_CARD_LAYOUT);
    }
}
