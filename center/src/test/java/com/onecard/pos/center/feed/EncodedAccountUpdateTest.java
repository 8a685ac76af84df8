package com.onecard.pos.center.feed;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live account change is serialized once and written to every terminal with its own
 * applied_seq spliced in: what a terminal parses must be exactly the Envelope that building the
 * message for that terminal gives, whatever the account holds.
 */
class EncodedAccountUpdateTest {
    static AccountUpdate full(long id, long version, long subsidy, long cash, String name) {
        return AccountUpdate.newBuilder().setAccountId(id).setCardUid(ByteString.copyFrom(new byte[] {4, 0x66, 1, 2}))
                .setCardSerial(3).setHolderName(name).setStatus(AccountStatus.LOST).setSubsidyFen(subsidy)
                .setCashFen(cash).setVersion(version).setPinVerifier("pbkdf2$1000$c2FsdA$aGFzaA")
                .setExpiresDay(20_500).setCardV1Ticket(ByteString.copyFrom(new byte[22])).build();
    }

    static Envelope built(AccountUpdate u, long appliedSeq) {
        return Envelope.newBuilder().setDownstream(Downstream.newBuilder().setStream(Streams.ACCOUNTS)
                .setVersion(u.getVersion()).setAccount(u.toBuilder().setAppliedSeq(appliedSeq))).build();
    }

    @Test
    void eachTerminalParsesTheEnvelopeBuiltForItsOwnWatermark() throws Exception {
        AccountUpdate u = full(60_001, 41, 1_200, -300, "李华");
        EncodedAccountUpdate e = EncodedAccountUpdate.of(u);
        for (long seq : new long[] {0, 1, 127, 128, 300_000, Long.MAX_VALUE}) {
            assertThat(Envelope.parseFrom(e.envelope(seq))).as("applied_seq %d", seq).isEqualTo(built(u, seq));
            assertThat(e.downstream(seq)).isEqualTo(built(u, seq).getDownstream());
        }
    }

    @Test
    void aWatermarkTheUpdateCameWithIsReplacedByTheTerminalsOwn() throws Exception {
        AccountUpdate u = full(7, 9, 0, 0, "").toBuilder().setAppliedSeq(55).build();
        EncodedAccountUpdate e = EncodedAccountUpdate.of(u);
        assertThat(e.update().getAppliedSeq()).isZero();
        assertThat(Envelope.parseFrom(e.envelope(12)).getDownstream().getAccount().getAppliedSeq()).isEqualTo(12);
        assertThat(Envelope.parseFrom(e.envelope(0)).getDownstream().getAccount().getAppliedSeq()).isZero();
    }

    @Property(tries = 300)
    void anyAccountAndWatermarkRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long id,
                                          @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long version,
                                          @ForAll long subsidy, @ForAll long cash,
                                          @ForAll @StringLength(max = 300) String name,
                                          @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long appliedSeq)
            throws Exception {
        AccountUpdate u = full(id, version, subsidy, cash, name);
        assertThat(Envelope.parseFrom(EncodedAccountUpdate.of(u).envelope(appliedSeq))).isEqualTo(built(u, appliedSeq));
    }
}
