package com.onecard.pos.center.identity;

import java.io.IOException;

/**
 * Where verification codes leave the center: one text to one mobile number. A campus plugs its
 * SMS provider in here (an implementation of this interface named by {@code sms.gateway} in
 * center.properties; see docs/app.md); development and the simulator use {@link FileSmsSink}.
 * Implementations must not log the text: it carries the code.
 */
public interface SmsGateway {
    /** Sends {@code text} to {@code phone}; IOException when the gateway refused or could not be reached. */
    void send(String phone, String text) throws IOException;
}
