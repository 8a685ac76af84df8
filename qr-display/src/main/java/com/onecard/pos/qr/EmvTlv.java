package com.onecard.pos.qr;

import java.util.ArrayList;
import java.util.List;

/**
 * The EMVCo data-object layout: ID (2 digits) + LEN (2 digits) + value, LEN counting
 * characters. Lengths count Unicode code points so Chinese names outside the BMP cannot
 * shift later objects.
 */
public final class EmvTlv {
    private EmvTlv() {
    }

    /** One data object as it appeared in the text; offset is the code-point index of its ID. */
    public record DataObject(String id, String value, int offset) {
    }

    /**
     * Splits text into data objects. {@code baseOffset} is added to reported offsets so a
     * nested template's errors point into the whole payload.
     */
    public static List<DataObject> parse(String text, int baseOffset, String templateId) throws QrFormatException {
        int[] cps = text.codePoints().toArray();
        List<DataObject> out = new ArrayList<>();
        int pos = 0;
        while (pos < cps.length) {
            int at = baseOffset + pos;
            if (cps.length - pos < 4) {
                throw new QrFormatException("truncated data object header" + in(templateId), at, null);
            }
            String id = digits(cps, pos, at, "ID", null, templateId);
            String lenText = digits(cps, pos + 2, at + 2, "length", id, templateId);
            int len = Integer.parseInt(lenText);
            int start = pos + 4;
            if (len > cps.length - start) {
                throw new QrFormatException("bad length " + len + " for tag " + id + in(templateId)
                        + ": only " + (cps.length - start) + " characters remain", at, id);
            }
            out.add(new DataObject(id, new String(cps, start, len), at));
            pos = start + len;
        }
        return out;
    }

    /** Appends one data object; the value must fit in 99 characters. */
    public static StringBuilder write(StringBuilder sb, String id, String value) {
        if (id.length() != 2 || !Character.isDigit(id.charAt(0)) || !Character.isDigit(id.charAt(1))) {
            throw new IllegalArgumentException("EMV ID must be two digits: " + id);
        }
        int len = value.codePointCount(0, value.length());
        if (len > 99) {
            throw new IllegalArgumentException("value of tag " + id + " is " + len + " characters, max 99");
        }
        sb.append(id);
        if (len < 10) {
            sb.append('0');
        }
        return sb.append(len).append(value);
    }

    private static String digits(int[] cps, int pos, int at, String what, String id, String templateId)
            throws QrFormatException {
        for (int i = pos; i < pos + 2; i++) {
            if (cps[i] < '0' || cps[i] > '9') {
                throw new QrFormatException("non-digit in " + what + in(templateId), at + (i - pos), id);
            }
        }
        return new String(cps, pos, 2);
    }

    private static String in(String templateId) {
        return templateId == null ? "" : " inside template " + templateId;
    }
}
