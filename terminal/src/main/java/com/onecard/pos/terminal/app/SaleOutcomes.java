package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.SaleOutcome;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Outcomes that control clients wait for ({@code await}) and the last one ({@code status}). Thread-safe. */
final class SaleOutcomes {
    private static final int KEEP = 256;
    private final Map<String, CompletableFuture<SaleOutcome>> bySale = new ConcurrentHashMap<>();
    private volatile SaleOutcome last;

    /** The outcome of a sale, now or when it is decided. For the sale flow's own sales. */
    CompletableFuture<SaleOutcome> of(String saleId) {
        return bySale.computeIfAbsent(saleId, k -> new CompletableFuture<>());
    }

    /**
     * What a control client may wait for: a sale this terminal started (in progress, or decided
     * among the last {@value #KEEP}). An id it never started gets nothing, so clients asking for
     * made-up ids leave nothing behind.
     */
    java.util.Optional<CompletableFuture<SaleOutcome>> awaitable(String saleId) {
        return java.util.Optional.ofNullable(bySale.get(saleId));
    }

    void decided(SaleOutcome o) {
        last = o;
        of(o.saleId()).complete(o);
        if (bySale.size() > KEEP) {
            bySale.entrySet().removeIf(e -> e.getValue().isDone() && !e.getKey().equals(o.saleId()));
        }
    }

    /** Sets the last outcome without completing anything (a sale recalled from the journal at start). */
    void recalled(SaleOutcome o) {
        last = o;
    }

    /** How many sales' outcomes are held (in progress or recently decided). */
    int held() {
        return bySale.size();
    }

    SaleOutcome last() {
        return last;
    }
}
