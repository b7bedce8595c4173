package fr.guichet.channel.sms;

/**
 * How a text travels as SMS: GSM-7 when every character is in the GSM 03.38 alphabet (160 septets, 153 per part
 * when split; extension characters such as € or { cost two), otherwise UCS-2 (70 UTF-16 units, 67 per part).
 * One character outside GSM-7 (ê, ’, …, an emoji, any Arabic letter) turns the whole text into UCS-2.
 */
public record SmsSegments(Encoding encoding, int units, int segments) {
    public enum Encoding { GSM_7, UCS_2 }

    private static final String GSM_BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    public static SmsSegments of(String text) {
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < text.length() && gsm; i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) septets += 1;
            else if (GSM_EXTENSION.indexOf(c) >= 0) septets += 2;
            else gsm = false;
        }
        if (gsm) {
            return new SmsSegments(Encoding.GSM_7, septets, septets <= 160 ? 1 : ceilDiv(septets, 153));
        }
        int units = text.length(); // UTF-16 code units: an emoji outside the BMP costs two
        return new SmsSegments(Encoding.UCS_2, units, units <= 70 ? 1 : ceilDiv(units, 67));
    }

    /** Characters that fit in one part of a split message in this encoding. */
    public static int perPart(Encoding encoding) {
        return encoding == Encoding.GSM_7 ? 153 : 67;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
