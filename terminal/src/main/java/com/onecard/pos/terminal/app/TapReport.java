package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.ReaderStatus;
import com.onecard.pos.reader.card.CampusCard;
import com.onecard.pos.terminal.store.Store;

/** What a technician wants to know of a tapped card ({@code posctl reader test}). Terminal thread (reads the store). */
final class TapReport {
    private TapReport() {
    }

    static ObjectNode describe(ObjectMapper json, CardTap tap, CampusCard campusCard, Store store, ReaderStatus reader) {
        var n = json.createObjectNode();
        n.put("ok", true);
        n.put("uid", tap.uidHex());
        var type = com.onecard.pos.reader.iso14443.CardType.of(tap);
        n.put("atqa", type.atqa());
        n.put("sak", type.sak());
        n.put("card_type", type.name());
        var candidates = n.putArray("card_candidates");
        type.candidates().forEach(candidates::add);
        n.put("uid_size", type.uidSize());
        var facts = n.putArray("card_facts");
        type.facts().forEach(facts::add);
        n.put("campus_read", tap.campusRead().name());
        if (campusCard != null && tap.campusRead() == CardTap.CampusRead.OK) {
            var v = campusCard.verify(tap.uid(), tap.campusData());
            n.put("campus_verified", v.result().name());
            if (v.data() != null) {
                n.put("card_account_id", v.data().accountId());
                n.put("card_serial", v.data().cardSerial());
            }
        }
        n.put("known", store.accounts().accountByUid(tap.uid()).isPresent());
        n.put("blacklisted", store.accounts().blacklisted(tap.uid()));
        n.put("firmware", reader == null ? "" : reader.firmware());
        return n;
    }
}
