package com.onecard.pos.center.app;

/** A reply that is not a JSON object: a JPEG, the API document, a provider's acknowledgement. */
record Reply(int status, String contentType, byte[] body) {
}
