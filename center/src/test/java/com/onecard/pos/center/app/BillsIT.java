package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /me/bills}: every movement of money, newest first, paged, one month at a time in
 * China Standard Time (a top-up at 00:30 on 1 October in Beijing is an October bill although it
 * is still 30 September in UTC); the opening balance is not a bill.
 */
class BillsIT {
    static final String T = "T-1";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long STUDENT = 20260001;

    @TempDir
    Path dir;
    AppFixture f;

    @BeforeEach
    void start() {
        f = new AppFixture("bills", dir);
        f.ledger.terminals().register(T, SECRET);
        f.student(STUDENT, "b01", "11010519900307123X", 0, 10_000, new byte[] {1, 2, 3, 4});
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void billsAreNewestFirstPagedAndFilteredByMonthInChinaStandardTime() {
        // 2026-09-01 12:00 CST (AppFixture.NOW): the first top-up.
        f.ledger.accounts().topUp(STUDENT, 100, "wechat:OTN-A");
        // 2026-09-30 23:30 CST = 15:30 UTC: the last September one.
        f.clock.advance(Duration.between(AppFixture.NOW, Instant.parse("2026-09-30T15:30:00Z")));
        f.ledger.accounts().topUp(STUDENT, 200, "alipay:OTN-B");
        // 2026-10-01 00:30 CST = 2026-09-30 16:30 UTC: October in Beijing, September in UTC.
        f.clock.advance(Duration.ofHours(1));
        f.ledger.accounts().topUp(STUDENT, 300, "wechat:OTN-C");
        f.clock.advance(Duration.ofMinutes(1));
        AppFixture.Phone p = f.firstLogin("13800000001", "b01", "071230", "billspass1");
        JsonNode paid = f.client.post("/api/v1/qr/pay", p.accessToken(), f.client.obj().put("payload", code(1_200)));
        assertThat(paid.path("http_status").asInt()).as(paid.toString()).isEqualTo(200);

        JsonNode first = f.client.get("/api/v1/me/bills?size=3", p.accessToken());
        assertThat(first.path("total").asInt()).as(first.toString()).isEqualTo(4);
        assertThat(amounts(first)).containsExactly(-1_200L, 300L, 200L);
        assertThat(first.path("items").get(0).path("kind").asText()).isEqualTo("QR");
        assertThat(first.path("items").get(1).path("out_trade_no").asText()).isEqualTo("OTN-C");
        assertThat(first.path("items").get(1).path("channel").asText()).isEqualTo("wechat");
        JsonNode second = f.client.get("/api/v1/me/bills?size=3&page=2", p.accessToken());
        assertThat(amounts(second)).containsExactly(100L);

        JsonNode september = f.client.get("/api/v1/me/bills?month=2026-09", p.accessToken());
        assertThat(september.path("total").asInt()).isEqualTo(2);
        assertThat(amounts(september)).containsExactly(200L, 100L);
        JsonNode october = f.client.get("/api/v1/me/bills?month=2026-10", p.accessToken());
        assertThat(amounts(october)).containsExactly(-1_200L, 300L);
        assertThat(amounts(f.client.get("/api/v1/me/bills?month=2026-08", p.accessToken()))).isEmpty();

        JsonNode bad = f.client.get("/api/v1/me/bills?month=2026-13", p.accessToken());
        assertThat(bad.path("http_status").asInt()).isEqualTo(400);
        assertThat(bad.path("message").asText()).contains("month");
    }

    private static List<Long> amounts(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.path("items").forEach(i -> out.add(i.path("amount_fen").asLong()));
        return out;
    }

    private String code(long fen) {
        return new CampusQr().create(new CampusQrRequest(T, "CANTEEN-N01", "POS03", "S1", fen, "NORTH CANTEEN",
                "BEIJING", null, null, f.clock.instant().plusSeconds(90), TerminalKeySchedule.qrKey(SECRET, T),
                new SplittableRandom(7)));
    }
}
