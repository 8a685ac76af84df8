package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.terminal.testutil.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A selftest yields to a sale: while a card is being sold (the terminal loop's hold, from the card answering to
 * the sale's outcome) it does not run its steps; it never waits past its budget for a hold that does not end.
 */
class SelfTestYieldsTest {
    private static final List<String> NAMES = List.of("store", "reader", "center", "keys", "disk", "display");

    private static List<SelfTest.Step> recording(List<String> order) {
        return NAMES.stream().map(n -> new SelfTest.Step(n, () -> {
            order.add(n);
            return new String[]{null, n + " fine"};
        })).toList();
    }

    @Test
    void aSelftestStartedWhileACardIsSoldRunsItsStepsAfterTheOutcome() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            loop.holdBackground(Duration.ofMinutes(5)); // the card answered the reader
            CompletableFuture<ObjectNode> selftest = CompletableFuture.supplyAsync(() ->
                    SelfTest.run(new ObjectMapper(), recording(order), new SaleYield(loop, Duration.ofMinutes(1))));
            // the selftest has reached its first step's wait (or, were it not waiting, has already run them all)
            assertThat(Await.until(Duration.ofSeconds(10), () -> loop.saleWaiters() == 1 || selftest.isDone())).isTrue();
            order.add("outcome");
            loop.releaseBackground(); // SaleEffects.outcome
            ObjectNode r = selftest.get(10, TimeUnit.SECONDS);
            assertThat(order).as("steps run after the sale's outcome, every one, in order")
                    .containsExactly("outcome", "store", "reader", "center", "keys", "disk", "display");
            assertThat(r.path("passed").asBoolean()).isTrue();
            assertThat(r.path("checks")).hasSize(NAMES.size());
        }
    }

    @Test
    void aSaleHeldDuringTheSelftestHoldsItsNextStep() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            var steps = new java.util.ArrayList<>(recording(order));
            // a card answers while the reader step runs: the steps after it wait for that sale
            steps.set(1, new SelfTest.Step("reader", () -> {
                order.add("reader");
                loop.holdBackground(Duration.ofMinutes(5));
                return new String[]{null, "reader fine"};
            }));
            CompletableFuture<ObjectNode> selftest = CompletableFuture.supplyAsync(() ->
                    SelfTest.run(new ObjectMapper(), steps, new SaleYield(loop, Duration.ofMinutes(1))));
            assertThat(Await.until(Duration.ofSeconds(10), () -> loop.saleWaiters() == 1 || selftest.isDone())).isTrue();
            order.add("outcome");
            loop.releaseBackground();
            selftest.get(10, TimeUnit.SECONDS);
            assertThat(order).containsExactly("store", "reader", "outcome", "center", "keys", "disk", "display");
        }
    }

    @Test
    void aHoldThatNeverEndsDelaysTheSelftestOnlyByItsBudget() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            loop.holdBackground(Duration.ofHours(1)); // stuck: never released
            SaleYield yield = new SaleYield(loop, Duration.ofMillis(200));
            CompletableFuture<ObjectNode> selftest = CompletableFuture.supplyAsync(() ->
                    SelfTest.run(new ObjectMapper(), recording(order), yield));
            ObjectNode r = selftest.get(30, TimeUnit.SECONDS);
            assertThat(order).as("no step skipped").containsExactlyElementsOf(NAMES);
            assertThat(r.path("passed").asBoolean()).isTrue();
            // the budget is spent (the hold never ended) and nothing waited beyond it: one pause a step, one before the answer
            assertThat(r.path("yielded_ms").asLong()).isGreaterThanOrEqualTo(200);
            assertThat(yield.pauses()).isEqualTo(NAMES.size() + 1);
        }
    }

    @Test
    void withNoSaleHeldTheSelftestDoesNotWait() {
        List<String> order = new CopyOnWriteArrayList<>();
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            // a hold that ran out (its sale's outcome never came) no longer holds anything
            loop.holdBackground(Duration.ZERO);
            ObjectNode r = SelfTest.run(new ObjectMapper(), recording(order), new SaleYield(loop, Duration.ofHours(1)));
            assertThat(order).containsExactlyElementsOf(NAMES);
            assertThat(r.path("checks").get(0).has("us")).isTrue();
        }
    }

    @Test
    void theTerminalThreadNeverWaitsForASale() throws Exception {
        try (TerminalLoop loop = new TerminalLoop("T01")) {
            var f = loop.call(() -> loop.awaitNoSale(Duration.ofSeconds(1)));
            assertThat(f).failsWithin(Duration.ofSeconds(5));
        }
    }
}
