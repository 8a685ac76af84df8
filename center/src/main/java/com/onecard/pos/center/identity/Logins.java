package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.UnitOfWork;

import java.time.Duration;
import java.util.Optional;

/**
 * The login of the campus app's manual, in its order: a mobile number and an SMS code (the
 * phone), then the campus unified identity (student number and password, an initial password
 * changed before anything else). A number already bound to a student's account logs in with the
 * code alone, and the account's session on any other phone ends; a card-office (ADMIN) login
 * always needs its password after the code (the code yields only a phone ticket). Every check is counted with an
 * expiring back-off: codes per number, passwords per user and per client address.
 */
public final class Logins {
    /** What a successful login or refresh hands the app. */
    public record Tokens(String accessToken, long expiresInSeconds, String refreshToken, long userId, long sessionId,
                         boolean mustChangePassword) {
        @Override
        public String toString() {
            return "Tokens[user " + userId + ", session " + sessionId + "]";
        }
    }

    /** After a right code: tokens when the number is bound, otherwise a ticket for the identity login. */
    public record PhoneStep(Tokens tokens, String phoneTicket) {
    }

    /** Failure budgets: login passwords per user and per client address. */
    public record Policies(AttemptCounters.Policy perUser, AttemptCounters.Policy perAddress) {
        public static Policies defaults() {
            return new Policies(
                    new AttemptCounters.Policy(5, Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)),
                    new AttemptCounters.Policy(30, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(1)));
        }
    }

    static final String PASSWORD_PER_USER = "login-password";
    static final String PASSWORD_PER_ADDRESS = "login-address";
    private static final Duration PHONE_TICKET_TTL = Duration.ofMinutes(10);
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 64;

    private final UnitOfWork uow;
    private final AppUsers users;
    private final Sessions sessions;
    private final SmsCodes codes;
    private final AttemptCounters attempts;
    private final AccessTokens tokens;
    private final PasswordHasher hasher;
    private final Audit audit;
    private final Policies policies;
    private final String dummyHash;

    public Logins(UnitOfWork uow, AppUsers users, Sessions sessions, SmsCodes codes, AttemptCounters attempts,
                  AccessTokens tokens, PasswordHasher hasher, Audit audit, Policies policies) {
        this.uow = uow;
        this.users = users;
        this.sessions = sessions;
        this.codes = codes;
        this.attempts = attempts;
        this.tokens = tokens;
        this.hasher = hasher;
        this.audit = audit;
        this.policies = policies;
        this.dummyHash = hasher.hash("no such user");
    }

    public AccessTokens accessTokens() {
        return tokens;
    }

    public void sendLoginCode(String phone, String clientAddress) {
        codes.send(phone, SmsCodes.Purpose.LOGIN, clientAddress);
    }

    /**
     * Step 1: the phone. Tokens when the number is bound to a student; a phone ticket for step 2
     * otherwise, an ADMIN's number included. Refusals from {@link SmsCodes#verify}.
     */
    public PhoneStep loginWithCode(String phone, String code, String deviceId) {
        codes.verify(phone, SmsCodes.Purpose.LOGIN, code);
        Optional<AppUsers.User> bound = users.byPhone(phone);
        // A card-office (ADMIN) login always takes the password step too: a code alone (a SIM
        // swap, a phone left unlocked) must not open the office's powers.
        if (bound.isPresent() && bound.get().role() != AppUsers.Role.ADMIN) {
            AppUsers.User u = bound.get();
            Sessions.Issued s = uow.run("logging in by phone",
                    tx -> sessions.open(tx, u.userId(), deviceId, "logged in on another device"));
            return new PhoneStep(tokens(s, u.initialPassword()), null);
        }
        return new PhoneStep(null, tokens.issuePhoneTicket(phone, deviceId, PHONE_TICKET_TTL));
    }

    /**
     * Step 2: the unified identity, binding the ticket's phone to the account. Refusals:
     * PHONE_TICKET_INVALID, BAD_CREDENTIALS (unknown user and wrong password alike),
     * TOO_MANY_ATTEMPTS, PHONE_TAKEN, PHONE_CHANGE_REQUIRED (the account has another number).
     */
    public Tokens loginWithPassword(String loginName, String password, String phoneTicket, String deviceId,
                                    String clientAddress) {
        String phone;
        try {
            phone = tokens.verifyPhoneTicket(phoneTicket, deviceId);
        } catch (AccessTokens.Invalid e) {
            throw AppError.PHONE_TICKET_INVALID.with("phone ticket refused: " + e.getMessage());
        }
        AttemptCounters.Attempt byAddress = attempts.reserve(PASSWORD_PER_ADDRESS, clientAddress, policies.perAddress(),
                "passwords from " + clientAddress);
        Optional<AppUsers.User> found = users.byLogin(loginName);
        // An unknown student number is counted and answered exactly as a known one with a wrong
        // password (its own counter, attempts_left, the same hashing time), so the answers do not
        // tell which student numbers exist; guessing them also costs against the address.
        String subject = found.map(u -> Long.toString(u.userId()))
                .orElseGet(() -> "unknown:" + loginName.substring(0, Math.min(loginName.length(), MAX_PASSWORD)));
        AttemptCounters.Attempt byUser = attempts.reserve(PASSWORD_PER_USER, subject, policies.perUser(),
                "passwords of " + loginName);
        boolean matches;
        if (found.isPresent()) {
            matches = passwordMatches(found.get(), password);
        } else {
            hasher.matches(dummyHash, password);
            matches = false;
        }
        if (!matches) {
            throw AppError.BAD_CREDENTIALS.with("wrong student number or password; " + byUser.remaining()
                    + " attempts left before a wait").detail("attempts_left", byUser.remaining());
        }
        AppUsers.User u = found.get();
        attempts.succeeded(byUser);
        attempts.release(byAddress);
        if (u.phone() != null && !u.phone().equals(phone)) {
            throw AppError.PHONE_CHANGE_REQUIRED.with("account " + loginName + " is bound to the number ending "
                    + tail(u.phone()) + "; change the number from that phone, or at the card office");
        }
        Sessions.Issued s = uow.run("logging in " + loginName, tx -> {
            AppUsers.bindPhone(tx, u.userId(), phone);
            return sessions.open(tx, u.userId(), deviceId, "logged in on another device");
        });
        return tokens(s, u.initialPassword());
    }

    /**
     * Changes the login password after checking the current one (counted like a login). The
     * new one: 8 to 64 characters, letters and digits both, not the initial password.
     */
    public void changePassword(Sessions.Live who, String current, String next) {
        AppUsers.User u = users.byId(who.userId()).orElseThrow(() -> AppError.SESSION_ENDED.with("user is gone"));
        AttemptCounters.Attempt a = attempts.reserve(PASSWORD_PER_USER, Long.toString(u.userId()), policies.perUser(),
                "passwords of " + u.loginName());
        if (!passwordMatches(u, current)) {
            throw AppError.BAD_CREDENTIALS.with("the current password is wrong; " + a.remaining()
                    + " attempts left before a wait").detail("attempts_left", a.remaining());
        }
        attempts.succeeded(a);
        String why = weakness(u, next);
        if (why != null) {
            throw AppError.WEAK_PASSWORD.with(why).detail("field", "new_password");
        }
        users.setPassword(u.userId(), hasher.hash(next));
    }

    public Tokens refresh(String refreshToken, String deviceId) {
        Sessions.Issued s = sessions.refresh(refreshToken, deviceId);
        Sessions.Live live = sessions.live(s.sessionId())
                .orElseThrow(() -> AppError.REFRESH_INVALID.with("the session ended meanwhile"));
        return tokens(s, live.initialPassword());
    }

    public void logout(Sessions.Live who) {
        sessions.end(who.sessionId(), "logged out");
    }

    /** Sends a code to the number the account is bound to now (authorizes a change of number). */
    public void sendOldNumberCode(Sessions.Live who, String clientAddress) {
        AppUsers.User u = users.byId(who.userId()).orElseThrow(() -> AppError.SESSION_ENDED.with("user is gone"));
        if (u.phone() == null) {
            throw AppError.PHONE_NOT_BOUND.with("account " + u.loginName() + " has no number bound");
        }
        codes.send(u.phone(), SmsCodes.Purpose.PHONE_CHANGE_OLD, clientAddress);
    }

    public void sendNewNumberCode(String newPhone, String clientAddress) {
        codes.send(newPhone, SmsCodes.Purpose.PHONE_CHANGE_NEW, clientAddress);
    }

    /**
     * A new number, authorized by a code to the old number and proven by a code to the new one;
     * the account's sessions on other devices end. Refusals from {@link SmsCodes#verify}, PHONE_TAKEN.
     */
    public void changePhone(Sessions.Live who, String newPhone, String oldCode, String newCode) {
        AppUsers.User u = users.byId(who.userId()).orElseThrow(() -> AppError.SESSION_ENDED.with("user is gone"));
        if (u.phone() == null) {
            throw AppError.PHONE_NOT_BOUND.with("account " + u.loginName() + " has no number bound");
        }
        codes.verify(u.phone(), SmsCodes.Purpose.PHONE_CHANGE_OLD, oldCode);
        codes.verify(newPhone, SmsCodes.Purpose.PHONE_CHANGE_NEW, newCode);
        uow.run("changing the number of " + u.loginName(), tx -> {
            AppUsers.bindPhone(tx, u.userId(), newPhone);
            sessions.endAll(tx, u.userId(), "number changed", who.sessionId());
            audit.record(tx, u.loginName(), "PHONE_CHANGED", u.loginName(), "by the holder, codes to old and new number");
            return null;
        });
    }

    /** The card office changes a number (the holder lost the old one): audited, every session ends. */
    public void adminChangePhone(String admin, String loginName, String newPhone, String reason) {
        AppUsers.User u = users.byLogin(loginName)
                .orElseThrow(() -> AppError.NOT_FOUND.with("user " + loginName + " not found"));
        uow.run("changing the number of " + loginName, tx -> {
            AppUsers.bindPhone(tx, u.userId(), newPhone);
            sessions.endAll(tx, u.userId(), "number changed by the card office", -1);
            audit.record(tx, admin, "PHONE_CHANGED", loginName, "number ending " + tail(newPhone) + "; " + reason);
            return null;
        });
    }

    /** The card office ends every session of a user (a stolen phone): audited. */
    public int adminRevoke(String admin, String loginName, String reason) {
        AppUsers.User u = users.byLogin(loginName)
                .orElseThrow(() -> AppError.NOT_FOUND.with("user " + loginName + " not found"));
        return uow.run("revoking the sessions of " + loginName, tx -> {
            int n = sessions.endAll(tx, u.userId(), "revoked by the card office", -1);
            audit.record(tx, admin, "SESSIONS_REVOKED", loginName, n + " sessions; " + reason);
            return n;
        });
    }

    /** The card office clears a user's login back-off (and the code back-off of the bound number). */
    public void adminUnlockLogin(String admin, String loginName) {
        AppUsers.User u = users.byLogin(loginName)
                .orElseThrow(() -> AppError.NOT_FOUND.with("user " + loginName + " not found"));
        attempts.clear(PASSWORD_PER_USER, Long.toString(u.userId()));
        if (u.phone() != null) {
            attempts.clear("sms-code", u.phone());
        }
        audit.record(admin, "LOGIN_UNLOCKED", loginName, "login and code back-off cleared");
    }

    private boolean passwordMatches(AppUsers.User u, String password) {
        if (u.passwordHash() != null) {
            return hasher.matches(u.passwordHash(), password);
        }
        hasher.matches(dummyHash, password);
        return u.accountId() != null && InitialPassword.matches(users.nationalId(u.accountId()), password);
    }

    private String weakness(AppUsers.User u, String next) {
        if (next == null || next.length() < MIN_PASSWORD || next.length() > MAX_PASSWORD) {
            return "the new password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters";
        }
        if (!next.chars().anyMatch(Character::isLetter) || !next.chars().anyMatch(Character::isDigit)) {
            return "the new password must hold letters and digits";
        }
        if (u.accountId() != null && InitialPassword.matches(users.nationalId(u.accountId()), next)) {
            return "the new password must differ from the initial password";
        }
        if (u.loginName().equalsIgnoreCase(next)) {
            return "the new password must differ from the login name";
        }
        return null;
    }

    private Tokens tokens(Sessions.Issued s, boolean mustChange) {
        return new Tokens(tokens.issue(s.userId(), s.sessionId(), s.deviceId()), tokens.ttl().toSeconds(),
                s.refreshToken(), s.userId(), s.sessionId(), mustChange);
    }

    private static String tail(String phone) {
        return phone.length() <= 4 ? phone : phone.substring(phone.length() - 4);
    }
}
