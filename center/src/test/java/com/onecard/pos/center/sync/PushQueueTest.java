package com.onecard.pos.center.sync;

import com.onecard.pos.center.feed.EncodedAccountUpdate;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.Envelope;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A slow terminal's changes wait in a bounded queue, are written only while the socket takes them. */
class PushQueueTest {
    static Downstream change(long v) {
        return Downstream.newBuilder().setStream("blacklist").setVersion(v).build();
    }

    static List<Long> written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Long> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add(envelope(o).getDownstream().getVersion());
        }
        return out;
    }

    /** A message written: an Envelope, or a live account change's Envelope bytes (shared encoding). */
    static Envelope envelope(Object written) {
        if (written instanceof Envelope e) {
            return e;
        }
        io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) written;
        try {
            return Envelope.parseFrom(io.netty.buffer.ByteBufUtil.getBytes(b));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("written bytes are no Envelope: " + e.getMessage(), e);
        } finally {
            b.release();
        }
    }

    @Test
    void writesNothingWhileTheChannelIsNotWritableThenEverythingInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 10, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 5; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        assertThat(written(ch)).isEmpty();
        assertThat(q.size()).isEqualTo(5);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        assertThat(written(ch)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(q.size()).isZero();
    }

    /**
     * The socket fills while a drain writes and its flush empties it again: the writability change
     * arrives inside the drain (which still counts as scheduled), and the rest must still go out.
     * Before the fix a terminal being provisioned stopped receiving account changes for good
     * (1,640 of 2,040 accounts in the tap bench), with nothing in any log.
     */
    @Test
    void whatWaitsIsWrittenWhenTheFlushItselfMakesTheChannelWritableAgain() {
        PushQueue[] q = new PushQueue[1];
        EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(io.netty.channel.ChannelHandlerContext ctx) {
                q[0].writable();
            }
        });
        // every message counts 8 bytes pending: unwritable after a few writes, writable once flushed
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 24));
        q[0] = new PushQueue(ch, 100, "test");
        List<Long> all = new ArrayList<>();
        for (long v = 1; v <= 20; v++) {
            assertThat(q[0].offer(change(v))).isTrue();
        }
        all.addAll(written(ch));
        all.addAll(written(ch));
        assertThat(all).hasSize(20).startsWith(1L, 2L, 3L).endsWith(20L);
        assertThat(q[0].size()).isZero();
    }

    @Test
    void aLivePushBeyondTheLimitClosesTheSession() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 3, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 3; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        assertThat(q.offer(change(4))).isFalse();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(q.size()).as("memory given back").isZero();
    }

    @Test
    void aReplayWaitsForRoomAndGivesUpWhenTheLinkTakesNothing() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 4, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.put(change(1), Duration.ofMillis(50))).isTrue();
        assertThat(q.put(change(2), Duration.ofMillis(50))).isTrue();
        assertThat(q.put(change(3), Duration.ofMillis(50))).as("half full: waits, then gives up").isFalse();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    static EncodedAccountUpdate account(long id, long version, long cashFen) {
        return EncodedAccountUpdate.of(AccountUpdate.newBuilder().setAccountId(id).setVersion(version)
                .setCashFen(cashFen).build());
    }

    /** What was written, as "account@version/applied_seq" (or the version of another stream's change). */
    static List<String> writtenAccounts(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            Downstream d = envelope(o).getDownstream();
            out.add(d.hasAccount() ? d.getAccount().getAccountId() + "@" + d.getVersion() + "/"
                    + d.getAccount().getAppliedSeq() + ":" + d.getAccount().getCashFen() : d.getStream() + "@" + d.getVersion());
        }
        return out;
    }

    @Test
    void aWaitingAccountChangeIsReplacedByItsNewerStateWhichKeepsVersionOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 10, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.offerAccounts(List.of(account(1, 1, 900), account(2, 2, 800)), 10)).isTrue();
        assertThat(q.offer(change(7))).isTrue();
        assertThat(q.offerAccounts(List.of(account(1, 3, 700)), 11)).isTrue();
        assertThat(q.size()).as("account 1 waits once").isEqualTo(3);
        assertThat(q.coalesced()).isEqualTo(1);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        // Version 1 is skipped: the terminal gets account 1's newest state (and its watermark) after account 2's.
        assertThat(writtenAccounts(ch)).containsExactly("2@2/10:800", "blacklist@7", "1@3/11:700");
    }

    @Test
    void anOlderAccountChangeNeverReplacesANewerOneWaiting() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 10, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.offerAccounts(List.of(account(1, 5, 500)), 20)).isTrue();
        assertThat(q.offerAccounts(List.of(account(1, 4, 600)), 19)).isTrue();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        assertThat(writtenAccounts(ch)).containsExactly("1@5/20:500");
    }

    @Test
    void theSameVersionWithANewerWatermarkReplacesTheWaitingOne() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 10, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.offerAccounts(List.of(account(1, 5, 500)), 20)).isTrue();
        assertThat(q.offerAccounts(List.of(account(1, 5, 500)), 21)).isTrue();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        assertThat(writtenAccounts(ch)).containsExactly("1@5/21:500");
    }

    @Test
    void coalescedChangesDoNotCountAgainstTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 2, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 50; v++) {
            assertThat(q.offerAccounts(List.of(account(1 + v % 2, v, v)), v)).isTrue();
        }
        assertThat(ch.isOpen()).as("two accounts waiting fit a queue of two").isTrue();
        assertThat(q.offerAccounts(List.of(account(3, 51, 0)), 51)).as("a third account overflows").isFalse();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
    /**
     * A replay of thousands of changes must not hold the event loop: the loop also answers this
     * terminal's authorizations and serves hundreds of other connections. A drain writes one
     * turn's worth and flushes it, then goes behind the work already queued on the loop.
     */
    @Test
    void aDrainWritesOneTurnAtATime() {
        int[] flushes = {0};
        EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                flushes[0]++;
                ctx.flush();
            }
        });
        // a socket that takes all 200 at once (each change counts 8 bytes pending here)
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1 << 20, 1 << 21));
        PushQueue q = new PushQueue(ch, 1_000, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= 200; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        ch.runPendingTasks();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        List<Long> all = written(ch);
        assertThat(all).hasSize(200).startsWith(1L, 2L).endsWith(200L);
        assertThat(flushes[0]).as("turns of at most %d changes", PushQueue.WRITES_PER_TURN)
                .isEqualTo((200 + PushQueue.WRITES_PER_TURN - 1) / PushQueue.WRITES_PER_TURN);
        assertThat(q.size()).isZero();
    }
    /**
     * A turn that writes exactly the last change waiting must leave the queue ready for the next:
     * a drain still marked scheduled after it would swallow every later change (found in the fleet
     * replay bench: terminals stopped receiving their replay and nothing logged it).
     */
    @Test
    void aTurnThatWritesTheLastChangeWaitingLeavesTheQueueReadyForTheNext() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1 << 20, 1 << 21));
        PushQueue q = new PushQueue(ch, 1_000, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (long v = 1; v <= PushQueue.WRITES_PER_TURN; v++) {
            assertThat(q.offer(change(v))).isTrue();
        }
        ch.runPendingTasks();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        assertThat(written(ch)).hasSize(PushQueue.WRITES_PER_TURN);
        assertThat(q.offer(change(100))).isTrue();
        assertThat(written(ch)).containsExactly(100L);
    }

    /** Each frame written, as the list of changes it carries (one for a single Downstream). */
    static List<List<Downstream>> frames(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<List<Downstream>> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            Envelope e = envelope(o);
            assertThat(e.getBodyCase()).isIn(Envelope.BodyCase.DOWNSTREAM, Envelope.BodyCase.DOWNSTREAM_BATCH);
            out.add(e.hasDownstream() ? List.of(e.getDownstream()) : e.getDownstreamBatch().getChangesList());
        }
        return out;
    }

    /**
     * To a terminal that takes batches, the changes waiting go in one frame: each change exactly the
     * Downstream it would have got alone (its own applied_seq on each live account change), in order.
     */
    @Test
    void aTerminalThatTakesBatchesGetsTheChangesWaitingInOneFrameEachWithItsOwnWatermark() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 100, "test");
        q.batches(true);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.offerAccounts(List.of(account(1, 1, 900), account(2, 2, 800)), 10)).isTrue();
        assertThat(q.offer(change(7))).isTrue();
        assertThat(q.offerAccounts(List.of(account(3, 3, 700)), 11)).isTrue();
        Downstream replayed = account(4, 4, 600).downstream(12);
        assertThat(q.put(replayed, Duration.ofSeconds(1))).isTrue();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        List<List<Downstream>> frames = frames(ch);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).containsExactly(account(1, 1, 900).downstream(10), account(2, 2, 800).downstream(10),
                change(7), account(3, 3, 700).downstream(11), replayed);
    }

    /** A terminal of older firmware (no downstream_batch in its Hello) gets one Envelope per change. */
    @Test
    void aTerminalWithoutTheFeatureGetsEveryChangeInItsOwnFrame() {
        EmbeddedChannel ch = new EmbeddedChannel();
        PushQueue q = new PushQueue(ch, 100, "test");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertThat(q.offerAccounts(List.of(account(1, 1, 900), account(2, 2, 800)), 10)).isTrue();
        assertThat(q.offer(change(7))).isTrue();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        List<List<Downstream>> frames = frames(ch);
        assertThat(frames).hasSize(3).allSatisfy(f -> assertThat(f).hasSize(1));
    }

    /**
     * A batch frame holds at most {@link PushQueue#BATCH_MAX_CHANGES} changes and about
     * {@link PushQueue#BATCH_MAX_BYTES} bytes (a change larger than that goes alone), far below the
     * protocol's 1 MiB frame; every change arrives once, in order.
     */
    @Test
    void batchFramesAreBoundedInChangesAndBytesAndKeepEveryChangeInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1 << 22, 1 << 23));
        PushQueue q = new PushQueue(ch, 10_000, "test");
        q.batches(true);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        int accounts = PushQueue.BATCH_MAX_CHANGES * 2 + 10;
        for (long v = 1; v <= accounts; v++) {
            assertThat(q.offerAccounts(List.of(account(v, v, v)), 5)).isTrue();
        }
        byte[] jpeg = new byte[PushQueue.BATCH_MAX_BYTES * 2 / 3];
        for (long v = 1; v <= 3; v++) {
            assertThat(q.offer(Downstream.newBuilder().setStream("photos").setVersion(v)
                    .setHolderPhoto(com.onecard.pos.sync.proto.HolderPhoto.newBuilder().setAccountId(v)
                            .setJpeg(com.google.protobuf.ByteString.copyFrom(jpeg))).build())).isTrue();
        }
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        q.writable();
        List<List<Downstream>> frames = frames(ch);
        List<Downstream> all = frames.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(accounts + 3);
        for (int i = 0; i < accounts; i++) {
            assertThat(all.get(i).getAccount().getAccountId()).isEqualTo(i + 1);
        }
        assertThat(all.subList(accounts, accounts + 3)).extracting(Downstream::getVersion).containsExactly(1L, 2L, 3L);
        for (List<Downstream> f : frames) {
            assertThat(f.size()).isLessThanOrEqualTo(PushQueue.BATCH_MAX_CHANGES);
            assertThat(f.stream().mapToInt(Downstream::getSerializedSize).sum())
                    .isLessThanOrEqualTo(Math.max(PushQueue.BATCH_MAX_BYTES, jpeg.length + 100));
        }
        assertThat(frames.get(0)).hasSize(PushQueue.BATCH_MAX_CHANGES);
        assertThat(q.size()).isZero();
    }
}
