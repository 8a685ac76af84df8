package com.onecard.pos.sim.center;

import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** opening + top-ups − sales + reversals = purses, whatever the rows and however they are batched. */
class LedgerConservationProperties {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final byte[] UID = {5, 6, 7, 8};

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
        Path dir = Files.createTempDirectory("ledger-prop");
        try (Ledger ledger = Ledger.open(dir.resolve("l.db"))) {
            ledger.registerTerminal("T", SECRET);
            ledger.openAccount(1, UID, 1, "P", 3_000, 2_000, "", 0);
            FakeOutbox journal = new FakeOutbox(SECRET);
            long expected = 5_000;
            for (Op op : ops) {
                if (op.topUp()) {
                    long fen = op.cash() + 1;
                    ledger.topUp(1, fen, "test");
                    expected += fen;
                } else {
                    JournalRow.Builder row = FakeOutbox.sale(1, UID, op.subsidy() + op.cash())
                            .setSubsidyFen(op.subsidy()).setCashFen(op.cash());
                    if (op.reversal()) {
                        row.setKind(RowKind.REVERSAL);
                        expected += op.subsidy() + op.cash();
                    } else {
                        expected -= op.subsidy() + op.cash();
                    }
                    journal.append(row);
                }
            }
            List<JournalRow> rows = journal.all();
            for (int i = 0; i < rows.size(); i += batch) {
                // Every batch is delivered twice, the second time overlapping the next.
                List<JournalRow> part = rows.subList(i, Math.min(rows.size(), i + batch));
                assertThat(ledger.ingest("T", part).ok()).isTrue();
                assertThat(ledger.ingest("T", rows.subList(0, Math.min(rows.size(), i + batch))).ok()).isTrue();
            }
            long[] p = ledger.purses(1);
            assertThat(p[0] + p[1]).isEqualTo(expected);
            long moved = ledger.movements(1).stream().mapToLong(m -> m.subsidyFen() + m.cashFen()).sum();
            assertThat(moved).isEqualTo(expected);
            assertThat(ledger.appliedRows("T")).isEqualTo(rows);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<Integer> batch() {
        return Arbitraries.integers().between(1, 15);
    }
}
