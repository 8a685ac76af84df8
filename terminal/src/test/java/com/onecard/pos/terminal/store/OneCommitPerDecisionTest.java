package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.OnlineAuthorizer;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.sale.SaleSignals;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decision is one transaction (one fsync): the journal row or decline, the card-password tries
 * and the sale-number reservation together; starting a sale writes nothing; the facts of a tap
 * are read once, also when the center answers.
 */
class OneCommitPerDecisionTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");
    static final String ACCOUNT_LOOKUP = "SELECT * FROM accounts WHERE card_uid=?";

    @TempDir
    Path dir;
    Store store;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZoneId.of("Asia/Shanghai"));
    final List<SaleOutcome> outcomes = new ArrayList<>();
    final List<String> statements = new ArrayList<>();

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"), SECRET);
        store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(7).setCardUid(ByteString.copyFrom(UID))
                .setCardSerial(1).setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setCashFen(100_000)
                .setPinVerifier(PinVerifier.create("123456", new SecureRandom())).setVersion(1).build(), 1);
        store.onPrepare(statements::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    SaleFlow flow(OnlineAuthorizer online, String... overrides) {
        TerminalConfig cfg = TestConfigs.config(dir, overrides);
        return new SaleFlow(cfg, store, online, null, new QrIssuer(cfg.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals(), Runnable::run, clock);
    }

    /** The center checks card passwords: this one answers PIN_WRONG for "000000" and approves the rest. */
    static OnlineAuthorizer passwordCheckingCenter() {
        return new OnlineAuthorizer() {
            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public CompletableFuture<Answer> authorize(Request r, Duration deadline) {
                return CompletableFuture.completedFuture("000000".equals(r.pin())
                        ? new Answer(false, DeclineReason.PIN_WRONG, new Purses(0, 100_000), 0)
                        : new Answer(true, null, new Purses(0, 100_000 - r.amountFen()), 0));
            }
        };
    }

    @Test
    void anApprovedSaleWithItsPinTriesResetIsOneCommit() {
        SaleFlow f = flow(passwordCheckingCenter(), "auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        store.accounts().setPinFailures(7, 1, clock.millis()); // a recent wrong try (older ones have expired)
        f.begin(100, null);              // the first sale after a start reserves sale numbers
        f.cancel();
        long before = store.commits();
        f.begin(1500, "123456");
        assertThat(store.commits()).as("starting a sale").isEqualTo(before);
        statements.clear();
        f.onTap(tap());
        assertThat(outcomes).last().satisfies(o -> assertThat(o.approved()).isTrue());
        assertThat(store.commits() - before).as("commits of one approved sale").isEqualTo(1);
        assertThat(store.accounts().pinFailures(7)).isZero();
        assertThat(statements).filteredOn(ACCOUNT_LOOKUP::equals).as("account read once").hasSize(1);
    }

    @Test
    void aDeclineWithItsSightingIsOneCommit() {
        store.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(UID)).setAccountId(7)
                .setListed(true).build(), 1);
        SaleFlow f = flow(null);
        f.begin(100, null);
        long before = store.commits();
        f.onTap(tap());
        assertThat(outcomes).last().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.LOST));
        assertThat(store.commits() - before).isEqualTo(1);
        assertThat(store.declinesBetween(0, Long.MAX_VALUE)).containsEntry("LOST", 1L);
        assertThat(store.lastSeq()).isEqualTo(1);
    }

    @Test
    void aWrongPinIsCountedInTheDeclinesCommit() {
        SaleFlow f = flow(passwordCheckingCenter(), "auth.mode", "prefer-online", "auth.pin.sale-threshold-fen", "1000");
        f.begin(1500, "000000");
        long before = store.commits();
        f.onTap(tap());
        assertThat(outcomes).last().satisfies(o -> assertThat(o.reason()).isEqualTo(DeclineReason.PIN_WRONG));
        assertThat(store.commits() - before).isEqualTo(1);
        assertThat(store.accounts().pinFailures(7)).isEqualTo(1);
    }

    @Test
    void theCentersAnswerDoesNotGatherTheFactsAgain() {
        var pending = new CompletableFuture<OnlineAuthorizer.Answer>();
        OnlineAuthorizer center = new OnlineAuthorizer() {
            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public CompletableFuture<Answer> authorize(Request r, Duration deadline) {
                return pending;
            }
        };
        SaleFlow f = flow(center, "auth.mode", "prefer-online");
        f.begin(500, null);
        statements.clear();
        long before = store.commits();
        f.onTap(tap());
        pending.complete(new OnlineAuthorizer.Answer(true, null, new Purses(0, 1000), 0));
        assertThat(outcomes).last().satisfies(o -> assertThat(o.mode()).isEqualTo("online"));
        assertThat(statements).filteredOn(ACCOUNT_LOOKUP::equals).hasSize(1);
        assertThat(store.commits() - before).isEqualTo(1);
    }

    private CardTap tap() {
        return new CardTap(UID, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], clock.instant());
    }

    private SaleSignals signals() {
        return new SaleSignals() {
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
            public void pinRequired(String saleId, long amountFen) {
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
        };
    }
}
