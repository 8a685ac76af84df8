package com.onecard.pos.center.main;

import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.CenterLedger;

import java.time.Clock;

/** Opens the ledger without a gateway, for an administration command against a running system. */
final class Admin {
    private Admin() {
    }

    static CenterLedger open(CenterConfig config) {
        return CenterLedger.open(config.database().withPoolSize(2), Clock.systemUTC());
    }
}
