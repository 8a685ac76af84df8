package com.onecard.pos.center.ledger;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * opening + top-ups − sales + genuine reversals = purses, whatever the rows and however they are
 * batched; a forged reversal moves nothing.
 */
class LedgerConservationPropertiesIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    static final AtomicInteger TRY = new AtomicInteger();
    static CenterLedger ledger;

    /** One database for the property; each try has its own terminal and account in it. */
    static synchronized CenterLedger ledger() {
        if (ledger == null) {
            ledger = CenterLedger.open(TestPostgres.freshDatabase("conservation"), Clock.systemUTC());
        }
        return ledger;
    }

    @AfterContainer
    static synchronized void close() {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }

    record Op(boolean topUp, boolean reversal, long subsidy, long cash) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.longs().between(0, 5_000),
                Arbitraries.longs().between(0, 5_000)).as((k, s, c) -> new Op(k == 0, k == 1, s, c));
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 25)
    void balancesAreConserved(@ForAll("ops") List<Op> ops, @ForAll("batch") int batch) throws Exception {
        int n = TRY.incrementAndGet();
        String t = "T" + n;
        long acc = n;
        byte[] uid = {5, 6, 7, (byte) n, (byte) (n >> 8)};
        CenterLedger ledger = ledger();
        {
            ledger.terminals().register(t, SECRET);
            ledger.accounts().open(acc, uid, 1, "P", 3_000, 2_000, "", 0);
            FakeOutbox journal = new FakeOutbox(SECRET);
            long expected = 5_000;
            List<JournalRow> unreversed = new java.util.ArrayList<>();
            for (Op op : ops) {
                if (op.topUp()) {
                    long fen = op.cash() + 1;
                    ledger.accounts().topUp(acc, fen, "test");
                    expected += fen;
                } else if (op.reversal()) {
                    // A genuine reversal of the last unreversed sale credits it back; with none, a forged
                    // one (naming no sale) is refused and credits nothing.
                    JournalRow sale = unreversed.isEmpty() ? null : unreversed.remove(unreversed.size() - 1);
                    JournalRow.Builder row = FakeOutbox.sale(acc, uid, 0).setKind(RowKind.REVERSAL);
                    if (sale != null) {
                        row.setAmountFen(sale.getAmountFen()).setSubsidyFen(sale.getSubsidyFen())
                                .setCashFen(sale.getCashFen()).setReversesSeq(sale.getSeq());
                        expected += sale.getAmountFen();
                    } else {
                        row.setAmountFen(op.cash()).setSubsidyFen(0).setCashFen(op.cash()).setReversesSeq(9_999);
                    }
                    journal.append(row);
                } else {
                    unreversed.add(journal.append(FakeOutbox.sale(acc, uid, op.subsidy() + op.cash())
                            .setSubsidyFen(op.subsidy()).setCashFen(op.cash())));
                    expected -= op.subsidy() + op.cash();
                }
            }
            List<JournalRow> rows = journal.all();
            for (int i = 0; i < rows.size(); i += batch) {
                // Every batch is delivered twice, the second time overlapping the next.
                List<JournalRow> part = rows.subList(i, Math.min(rows.size(), i + batch));
                assertThat(ledger.ingest().ingest(t, part).ok()).isTrue();
                assertThat(ledger.ingest().ingest(t, rows.subList(0, Math.min(rows.size(), i + batch))).ok()).isTrue();
            }
            long[] p = ledger.accounts().purses(acc);
            assertThat(p[0] + p[1]).isEqualTo(expected);
            long moved = ledger.accounts().movements(acc).stream().mapToLong(m -> m.subsidyFen() + m.cashFen()).sum();
            assertThat(moved).isEqualTo(expected);
            assertThat(ledger.ingest().appliedRows(t)).isEqualTo(rows);
        }
    }

    @Provide
    Arbitrary<Integer> batch() {
        return Arbitraries.integers().between(1, 15);
    }
}
