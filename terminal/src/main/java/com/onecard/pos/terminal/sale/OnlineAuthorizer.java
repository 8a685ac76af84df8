package com.onecard.pos.terminal.sale;

import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks the center; implemented by the sync client. */
public interface OnlineAuthorizer {
    /** True when a session with the center is up, so asking is worth the deadline. */
    boolean connected();

    /** Completes with the center's answer, or exceptionally at the deadline or when not connected. */
    CompletableFuture<AuthResponse> authorize(AuthRequest request, Duration deadline);
}
