package com.onecard.pos.sim;

import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sim.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of scripts/simulate, briefly: small queues, one or two windows, a short rush.
 * Each asserts its own invariants plus the common ones (every approved sale at the center once,
 * journals equal, chains verify, balances conserved).
 */
class ScenariosIT {

    @Test
    void lunchRushChargesFixedPricesTakesQrPaymentsAndTopUpsAndEnforcesTheMealLimit() throws Exception {
        Verdict v = run("lunch-rush", 2, 12, 5, 0, Set.of());
        assertThat(v.qrPaid).isPositive();
        assertThat(v.topups).isPositive();
        assertThat(v.invariants).containsEntry("meal_count_limit_enforced", true);
        assertThat(v.declined()).containsKeys("MEAL_LIMIT", "INSUFFICIENT_FUNDS");
    }

    @Test
    void outageSellsOfflineAndDrainsEveryBacklogWhenTheCenterReturns() throws Exception {
        Verdict v = run("outage", 2, 12, 8, 0, Set.of());
        assertThat(v.offlineSales).isPositive();
        assertThat(v.backlogPeak).isPositive();
        assertThat(v.drainSeconds).isBetween(0.0, 60.0);
    }

    @Test
    void powerLossAtEveryWindowLosesAndDoublesNothing() throws Exception {
        Verdict v = run("power-loss", 1, 12, 0, 3, Set.of());
        assertThat(v.kills).isEqualTo(3);
    }

    @Test
    void lostCardIsRefusedEverywhereIncludingLightTerminalsTheOwnerIsToldAndUnlossRestoresIt() throws Exception {
        Verdict v = run("lost-card", 2, 12, 4, 0, Set.of(), 5);
        assertThat(v.blacklistPropagationMs).isBetween(0.0, 10_000.0);
        assertThat(v.invariants).containsKeys("lost_card_refused_at_window", "owner_messaged_on_sighting",
                "found_card_owner_messaged", "unlossed_card_works_again");
    }

    @Test
    void serialFaultsInventNoTapAndSalesContinueAfterEachReplug() throws Exception {
        Verdict v = run("serial-faults", 1, 12, 8, 0, Set.of());
        assertThat(v.invariants).containsEntry("no_false_taps", true).containsEntry("sales_continue_after_replug", true);
    }

    @Test
    void aSkewedClockStillSellsExactlyOnceAndTheOffsetIsReported() throws Exception {
        Verdict v = run("clock-skew", 2, 10, 4, 0, Set.of());
        assertThat(v.invariants).containsEntry("center_reported_clock_offset_matches_skew", true);
    }

    @Test
    void failoverKillsOneOfTwoCenterInstancesMidRushAndEveryInvariantHoldsOnlineHoldsIncluded() throws Exception {
        Verdict v = run("failover", 4, 16, 10, 0, Set.of());
        assertThat(v.invariants).containsEntry("windows_were_spread_over_both_instances", true)
                .containsEntry("every_window_reconnected_to_the_surviving_instance", true)
                .containsEntry("the_moved_windows_resumed_their_tls_sessions", true)
                .containsEntry("every_online_hold_consumed_by_its_sale", true);
    }

    @Test
    void studentsPayByCodeWithTheCenterUnreachableEachBadCodeIsRefusedWithItsReasonAndTheCenterAppliesEachSaleOnce()
            throws Exception {
        Verdict v = run("paycode", 2, 12, 3, 0, Set.of());
        assertThat(v.invariants).containsEntry("every_paycode_sale_applied_once_at_center", true)
                .containsEntry("paycode_screenshot_used_twice_refused", true)
                .containsEntry("paycode_old_screenshot_refused", true)
                .containsEntry("paycode_edited_code_refused", true)
                .containsEntry("paycode_logged_out_phone_refused", true)
                .containsEntry("paycode_lost_card_refused", true);
        assertThat(v.outcomes).anyMatch(o -> o.approved() && o.mode().equals("paycode"));
    }

    @Test
    void aKeypadWindowTakesAmountsAndCardPasswordsFromItsEmulatedKeypad() throws Exception {
        Verdict v = run("keypad", 1, 11, 0, 0, Set.of());
        assertThat(v.invariants).containsEntry("keypad_amount_charged_as_typed", true)
                .containsEntry("keypad_sale_approved", true)
                .containsEntry("card_password_typed_on_the_keypad", true)
                .containsEntry("wrong_keypad_password_refused", true)
                .containsEntry("scanned_code_reached_the_sale_side", true);
        assertThat(v.declined()).containsEntry("PIN_WRONG", 1L);
    }

    private static Verdict run(String name, int terminals, int students, int seconds, int kills, Set<String> excused)
            throws Exception {
        return run(name, terminals, students, seconds, kills, excused, 0);
    }

    private static Verdict run(String name, int terminals, int students, int seconds, int kills, Set<String> excused,
                               int lightTerminals) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-scenario-" + name).toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        Scenario sc = Scenario.named(name);
        try (Simulation sim = new Simulation(root, work, 5, out).terminals(terminals)
                .database(TestPostgres.freshDatabase("scenario_" + name.replace('-', '_')))
                .lightTerminals(lightTerminals)) {
            sim.verdict().scenario = name;
            sc.configure(sim);
            sim.setUp(students);
            sc.run(sim, new Scenario.Settings(Duration.ofSeconds(seconds), kills));
            Verdict v = sim.verify(Duration.ofSeconds(60));
            sc.afterVerify(sim);
            String report = log.toString(StandardCharsets.UTF_8) + v.table();
            System.out.println(report);
            v.writeJson(work.resolve("verdict.json"));
            assertThat(v.approved()).as(report).isPositive();
            for (Map.Entry<String, Boolean> e : v.invariants.entrySet()) {
                if (!excused.contains(e.getKey())) {
                    assertThat(e.getValue()).as(e.getKey() + "\n" + report).isTrue();
                }
            }
            return v;
        }
    }
}
