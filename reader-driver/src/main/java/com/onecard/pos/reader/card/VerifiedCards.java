package com.onecard.pos.reader.card;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout-2 cards whose signature this terminal has checked since it started: UID and data
 * block, nothing else. A card shown again with the same UID and the same block 4 needs no second
 * signature check (the signature is a fixed function of exactly these bytes, so the answer would
 * be the same), and the reader can skip sector 2: one authentication and one block read instead of
 * two and five. Bounded (least recently used out); thread-safe.
 */
final class VerifiedCards {
    private final int capacity;
    private final Map<ByteBuffer, Boolean> seen;

    VerifiedCards(int capacity) {
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > VerifiedCards.this.capacity;
            }
        };
    }

    private static ByteBuffer key(byte[] uid, byte[] block4) {
        return ByteBuffer.allocate(1 + uid.length + 16).put((byte) uid.length).put(uid).put(block4, 0, 16).flip();
    }

    synchronized void add(byte[] uid, byte[] block4) {
        seen.put(key(uid, block4), Boolean.TRUE);
    }

    synchronized boolean contains(byte[] uid, byte[] block4) {
        return seen.get(key(uid, block4)) != null;
    }

    synchronized int size() {
        return seen.size();
    }
}
