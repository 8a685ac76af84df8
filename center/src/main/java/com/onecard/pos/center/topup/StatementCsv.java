package com.onecard.pos.center.topup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A daily statement as the simulated providers write it: a header line, then
 * {@code out_trade_no,provider_trade_no,amount_fen,paid_at} per collected order (paid_at an
 * ISO-8601 instant). Real providers' statements carry more columns; an adapter for one maps
 * them to these four.
 */
public final class StatementCsv {
    public static final String HEADER = "out_trade_no,provider_trade_no,amount_fen,paid_at";

    private StatementCsv() {
    }

    public static List<PaymentProvider.StatementLine> parse(String text, String what) throws ProviderException {
        List<PaymentProvider.StatementLine> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equals(HEADER)) {
            throw new ProviderException(what + ": first line is not '" + HEADER + "'");
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields, got " + f.length);
                }
                out.add(new PaymentProvider.StatementLine(f[0], f[1], Long.parseLong(f[2]), Instant.parse(f[3])));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new ProviderException(what + ": line " + (i + 1) + " '" + line + "' unreadable: " + e.getMessage());
            }
        }
        return out;
    }

    public static String write(List<PaymentProvider.StatementLine> lines) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (PaymentProvider.StatementLine l : lines) {
            b.append(l.outTradeNo()).append(',').append(l.providerTradeNo()).append(',').append(l.amountFen())
                    .append(',').append(l.paidAt()).append('\n');
        }
        return b.toString();
    }
}
