package com.onecard.pos.center.ledger;

import com.onecard.pos.sync.proto.RefusedRow;
import com.onecard.pos.sync.proto.UploadError;

import java.util.List;
import java.util.Set;

/**
 * Outcome of one uploaded batch.
 *
 * @param appliedSeq      the terminal's watermark after the batch (unchanged when rejected)
 * @param appliedMac      the mac of the row at appliedSeq (the journal's head as the center holds it)
 * @param error           null when the batch was accepted
 * @param changedAccounts accounts whose purses the batch moved (empty when rejected)
 * @param refused         rows stored and acknowledged but not applied (refused reversals, unknown kinds)
 */
public record IngestResult(long appliedSeq, byte[] appliedMac, UploadError error, Set<Long> changedAccounts,
                           List<RefusedRow> refused) {
    public boolean ok() {
        return error == null;
    }

    static IngestResult rejected(long appliedSeq, UploadError.Code code, long expected, long offending, String msg) {
        return new IngestResult(appliedSeq, new byte[0], UploadError.newBuilder().setCode(code).setExpectedSeq(expected)
                .setOffendingSeq(offending).setMessage(msg).build(), Set.of(), List.of());
    }
}
