package com.onecard.pos.bench.sqlitecenter;

import com.onecard.pos.sync.proto.UploadError;

/**
 * Outcome of one uploaded batch.
 *
 * @param appliedSeq the terminal's watermark after the batch (unchanged when rejected)
 * @param error      null when the batch was accepted
 */
public record IngestResult(long appliedSeq, UploadError error) {
    public boolean ok() {
        return error == null;
    }
}
