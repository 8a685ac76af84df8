package com.onecard.pos.center.app;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.identity.AccessTokens;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.identity.Sessions;

/**
 * Decides whether a request may reach its endpoint: a bearer access token that verifies, names
 * a session that is still live (logout, a phone change and the card office's revoke end it at
 * once), and the role and password state the endpoint's {@link Access} asks for.
 */
final class Authenticator {
    private final AccessTokens tokens;
    private final Sessions sessions;

    Authenticator(AccessTokens tokens, Sessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** The caller, or null for PUBLIC and PROVIDER routes; a Refusal when it may not pass. */
    Sessions.Live check(Access access, String authorization) {
        if (access == Access.PUBLIC || access == Access.PROVIDER) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AppError.NOT_AUTHENTICATED.with("this endpoint needs 'Authorization: Bearer <access token>'");
        }
        AccessTokens.Claims claims;
        try {
            claims = tokens.verify(authorization.substring(7).trim());
        } catch (AccessTokens.Invalid e) {
            throw (e.expired ? AppError.TOKEN_EXPIRED : AppError.TOKEN_INVALID).with(e.getMessage());
        }
        Sessions.Live live = sessions.live(claims.sessionId())
                .filter(s -> s.userId() == claims.userId() && s.deviceId().equals(claims.deviceId()))
                .orElseThrow(() -> AppError.SESSION_ENDED.with("session " + claims.sessionId() + " has ended"));
        if (access == Access.LOGGED_IN) {
            return live;
        }
        if (live.initialPassword()) {
            throw AppError.PASSWORD_CHANGE_REQUIRED.with("change the initial password first (POST /api/v1/me/password)");
        }
        if (access == Access.ADMIN && live.role() != AppUsers.Role.ADMIN) {
            throw AppError.ADMIN_ONLY.with("this endpoint is for the card office");
        }
        if (access == Access.STUDENT && (live.role() != AppUsers.Role.STUDENT || live.accountId() == null)) {
            throw AppError.STUDENT_ONLY.with("this endpoint is for a card holder");
        }
        return live;
    }
}
