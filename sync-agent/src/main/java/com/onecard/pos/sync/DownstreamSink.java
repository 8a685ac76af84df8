package com.onecard.pos.sync;

import com.onecard.pos.sync.proto.Downstream;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where the center's changes go on the terminal. Implemented by the terminal; the sync
 * client calls it from its I/O thread, so implementations post to the terminal thread.
 */
public interface DownstreamSink {
    /** Last applied version per stream, sent in Hello so the center resumes from there. */
    Map<String, Long> cursors();

    /** Apply one change; the stage completes once it is committed on the terminal. */
    CompletionStage<Void> apply(Downstream change);
}
