package com.onecard.pos.center.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which TCP peers are the operator's reverse proxies (center.properties {@code app.trusted-proxies}:
 * IP addresses, comma-separated; default none), and so which address a request's rate limits
 * count against.
 *
 * <p>From a peer that is not a trusted proxy, the client address is the peer's, whatever the
 * request's {@code X-Forwarded-For} says (anyone can send that header). From a trusted proxy,
 * {@code X-Forwarded-For} is read right to left (each proxy appends the address it heard from,
 * MDN "X-Forwarded-For", "Selecting an IP address": the right-most untrusted entry is the one to
 * trust): trusted proxies are skipped, and the first entry that is not one is the client. An
 * entry that is not an IP address ends the walk: the client is then the last address read (the
 * proxy that received the garbage), never anything a client wrote. No header: the peer.
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final Set<InetAddress> proxies;

    private TrustedProxies(Set<InetAddress> proxies) {
        this.proxies = proxies;
    }

    /** No proxy trusted: every request's client address is its TCP peer. */
    public static TrustedProxies none() {
        return new TrustedProxies(Set.of());
    }

    /**
     * Parses {@code app.trusted-proxies}: IP addresses (IPv4 dotted or IPv6), comma-separated,
     * blank for none. Host names are refused (no DNS lookup decides who is trusted).
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return none();
        }
        List<InetAddress> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String s = part.strip();
            InetAddress a = literal(s);
            if (a == null) {
                throw new IllegalArgumentException("'" + s + "' is not an IP address (IPv4 like 10.0.0.5 or IPv6;"
                        + " host names are not accepted)");
            }
            out.add(a);
        }
        return new TrustedProxies(Set.copyOf(out));
    }

    public boolean isEmpty() {
        return proxies.isEmpty();
    }

    /**
     * The client address of a request.
     *
     * @param peer          the TCP peer's address as the socket reports it
     * @param forwardedFor  every {@code X-Forwarded-For} header of the request, in order (empty when none)
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        InetAddress current = literal(peer);
        if (current == null || !proxies.contains(current) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> entries = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String e : header.split(",")) {
                entries.add(e.strip());
            }
        }
        Collections.reverse(entries);
        String client = peer;
        for (String e : entries) {
            InetAddress a = literal(e);
            if (a == null) {
                return client;
            }
            client = a.getHostAddress();
            if (!proxies.contains(a)) {
                return client;
            }
        }
        return client;
    }

    /** The address of an IP literal (no DNS), or null when {@code s} is not one. */
    static InetAddress literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = IPV4.matcher(t).matches();
        if (!v4 && !IPV6.matcher(t).matches()) {
            return null;
        }
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            // a literal: getByName parses it without a lookup
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return proxies.stream().map(InetAddress::getHostAddress).sorted().toList().toString();
    }
}
