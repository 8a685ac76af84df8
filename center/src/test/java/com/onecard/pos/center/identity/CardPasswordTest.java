package com.onecard.pos.center.identity;

import com.onecard.pos.pin.PinVerifier;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CardPasswordTest {

    @Test
    void defaultPasswordHasTwoFormsAndAFinalXIsEnteredAsZero() {
        String id = "11010519900307123X";
        assertThat(CardPassword.matches("", id, "071230")).isTrue();
        assertThat(CardPassword.matches("", id, "0307123")).isTrue();
        assertThat(CardPassword.matches("", id, "07123X")).isFalse();
        assertThat(CardPassword.matches("", id, "307123X")).isFalse();
        assertThat(CardPassword.matches("", "440301199512126548", "126548")).isTrue();
        assertThat(CardPassword.matches("", "440301199512126548", "1212654")).isTrue();
        assertThat(CardPassword.matches("", "440301199512126548", "212654")).isFalse();
    }

    @Test
    void aSetPasswordReplacesTheDefaultAndNothingMatchesWithoutEither() {
        String verifier = PinVerifier.create("135790", new SecureRandom());
        String id = "440301199512126548";
        assertThat(CardPassword.matches(verifier, id, "135790")).isTrue();
        assertThat(CardPassword.matches(verifier, id, "126548")).isFalse();
        assertThat(CardPassword.matches("", null, "126548")).isFalse();
        assertThat(CardPassword.matches("", id, "")).isFalse();
        assertThat(CardPassword.matches("", "12345", "12345")).isFalse();
    }
}
