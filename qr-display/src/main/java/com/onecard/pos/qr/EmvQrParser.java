package com.onecard.pos.qr;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict parser for EMVCo merchant-presented payloads: 00 first, 63 last, each ID once at
 * each level, every length exact, templates well-formed, CRC correct. Only
 * {@link QrFormatException} (or its subclass {@link QrCrcMismatchException}) escapes, so
 * text from a scanner or a network can be fed in directly.
 */
public final class EmvQrParser {
    private EmvQrParser() {
    }

    public static EmvPayload parse(String payload) throws QrFormatException {
        if (payload == null || payload.isEmpty()) {
            throw new QrFormatException("empty payload", 0, null);
        }
        List<EmvTlv.DataObject> top = EmvTlv.parse(payload, 0, null);
        EmvTlv.DataObject first = top.get(0);
        if (!first.id().equals("00")) {
            throw new QrFormatException("payload format indicator 00 must come first, found " + first.id(), 0, first.id());
        }
        if (!first.value().equals("01")) {
            throw new QrFormatException("unsupported payload format indicator " + first.value(), 0, "00");
        }
        EmvTlv.DataObject last = top.get(top.size() - 1);
        if (!last.id().equals("63")) {
            throw new QrFormatException("CRC 63 must come last, found " + last.id(), last.offset(), last.id());
        }
        if (last.value().length() != 4 || !last.value().matches("[0-9A-F]{4}")) {
            throw new QrFormatException("CRC must be 4 uppercase hex digits, found '" + last.value() + "'",
                    last.offset(), "63");
        }
        Map<String, String> objects = new LinkedHashMap<>();
        Map<String, Map<String, String>> templates = new LinkedHashMap<>();
        for (EmvTlv.DataObject o : top) {
            if (objects.putIfAbsent(o.id(), o.value()) != null) {
                throw new QrFormatException("duplicate ID " + o.id(), o.offset(), o.id());
            }
            if (EmvPayload.isTemplate(o.id())) {
                templates.put(o.id(), parseTemplate(o));
            }
        }
        int crcOffsetChars = payload.offsetByCodePoints(0, last.offset());
        String expected = Crc16Ccitt.hex(payload.substring(0, crcOffsetChars + 4));
        if (!expected.equals(last.value())) {
            throw new QrCrcMismatchException(expected, last.value(), last.offset());
        }
        return new EmvPayload(payload, objects, templates);
    }

    private static Map<String, String> parseTemplate(EmvTlv.DataObject template) throws QrFormatException {
        int base = template.offset() + 4;
        if (template.value().isEmpty()) {
            throw new QrFormatException("empty template " + template.id(), template.offset(), template.id());
        }
        Map<String, String> subs = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (EmvTlv.DataObject s : EmvTlv.parse(template.value(), base, template.id())) {
            if (!seen.add(s.id())) {
                throw new QrFormatException("duplicate ID " + s.id() + " inside template " + template.id(),
                        s.offset(), template.id());
            }
            subs.put(s.id(), s.value());
        }
        return subs;
    }
}
