package com.onecard.pos.center.feed;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An account's new state as every terminal that serves it receives it, serialized once for all
 * of them. Terminals differ only in {@code applied_seq} (each terminal's own watermark that the
 * purses include, docs/protocol.md §6), so {@link #envelope} writes the shared bytes around that
 * one field: a change pushed to 200 terminals costs one serialization and 200 small copies, not
 * 200 message builds and serializations.
 *
 * <p>The bytes are the message {@link #downstream} builds (a terminal parses the same Envelope);
 * only the position of {@code applied_seq} inside the account differs (written last), which the
 * protobuf wire format allows (fields in any order).
 */
public final class EncodedAccountUpdate {
    private final AccountUpdate update;
    /** Downstream's fields before the account: stream and version. */
    private final byte[] head;
    /** The AccountUpdate without applied_seq. */
    private final byte[] account;

    private EncodedAccountUpdate(AccountUpdate update) {
        this.update = update;
        this.head = Downstream.newBuilder().setStream(Streams.ACCOUNTS).setVersion(update.getVersion()).build()
                .toByteArray();
        this.account = update.toByteArray();
    }

    /** Encodes {@code u} once; its applied_seq, if any, is dropped (each terminal gets its own). */
    public static EncodedAccountUpdate of(AccountUpdate u) {
        return new EncodedAccountUpdate(u.getAppliedSeq() == 0 ? u : u.toBuilder().clearAppliedSeq().build());
    }

    /** The account's state without applied_seq. */
    public AccountUpdate update() {
        return update;
    }

    public long accountId() {
        return update.getAccountId();
    }

    /** The accounts stream's version of this change. */
    public long version() {
        return update.getVersion();
    }

    /** This change for a terminal whose watermark is {@code appliedSeq}, as a message. */
    public Downstream downstream(long appliedSeq) {
        return Downstream.newBuilder().setStream(Streams.ACCOUNTS).setVersion(update.getVersion())
                .setAccount(update.toBuilder().setAppliedSeq(appliedSeq)).build();
    }

    /**
     * The serialized {@code Envelope{downstream: downstream(appliedSeq)}} (without the frame's
     * length prefix, which the pipeline adds), built from the shared bytes.
     */
    public byte[] envelope(long appliedSeq) {
        int downstreamLength = downstreamSize(appliedSeq);
        byte[] out = new byte[CodedOutputStream.computeTagSize(Envelope.DOWNSTREAM_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(downstreamLength) + downstreamLength];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeTag(Envelope.DOWNSTREAM_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(downstreamLength);
            writeDownstream(o, appliedSeq);
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            // sizes are computed above: the array is exactly as long as what is written
            throw new UncheckedIOException("encoding the change of account " + update.getAccountId(), e);
        }
        return out;
    }

    /** Bytes of the serialized {@code downstream(appliedSeq)}, as {@link #writeDownstream} writes it. */
    public int downstreamSize(long appliedSeq) {
        int accountLength = accountSize(appliedSeq);
        return head.length + CodedOutputStream.computeTagSize(Downstream.ACCOUNT_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(accountLength) + accountLength;
    }

    /**
     * Writes the serialized {@code downstream(appliedSeq)} (its fields only, no tag or length of its
     * own: the caller frames it, e.g. as one change of a {@code DownstreamBatch}) from the shared bytes.
     */
    public void writeDownstream(CodedOutputStream o, long appliedSeq) throws IOException {
        o.writeRawBytes(head);
        o.writeTag(Downstream.ACCOUNT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(accountSize(appliedSeq));
        o.writeRawBytes(account);
        if (appliedSeq != 0) {
            o.writeUInt64(AccountUpdate.APPLIED_SEQ_FIELD_NUMBER, appliedSeq);
        }
    }

    private int accountSize(long appliedSeq) {
        return account.length + (appliedSeq == 0 ? 0
                : CodedOutputStream.computeUInt64Size(AccountUpdate.APPLIED_SEQ_FIELD_NUMBER, appliedSeq));
    }
}
