package com.onecard.pos.center.ledger;

import com.onecard.pos.sync.proto.UploadError;

import java.util.Set;

/**
 * Outcome of one uploaded batch.
 *
 * @param appliedSeq      the terminal's watermark after the batch (unchanged when rejected)
 * @param error           null when the batch was accepted
 * @param changedAccounts accounts whose purses the batch moved (empty when rejected)
 */
public record IngestResult(long appliedSeq, UploadError error, Set<Long> changedAccounts) {
    public boolean ok() {
        return error == null;
    }

    static IngestResult rejected(long appliedSeq, UploadError.Code code, long expected, long offending, String msg) {
        return new IngestResult(appliedSeq, UploadError.newBuilder().setCode(code).setExpectedSeq(expected)
                .setOffendingSeq(offending).setMessage(msg).build(), Set.of());
    }
}
