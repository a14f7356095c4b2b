package dev.coffer.server.audit.alerts;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** The network a source address belongs to, as the new-network rule counts them: its /24 (IPv4) or /48 (IPv6). */
final class SourceNetworks {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private SourceNetworks() {}

    /** e.g. {@code 203.0.113.0/24}, {@code 2001:db8:1::/48}; null for anything but an IP address literal (a service's name). */
    static String of(String sourceIp) {
        if (sourceIp == null) return null;
        String s = sourceIp.strip();
        // Only literals reach the resolver, so it never asks DNS.
        if (!V4.matcher(s).matches() && !V6.matcher(s).matches()) return null;
        InetAddress address;
        try {
            address = InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + ".0/24";
        }
        if (address instanceof Inet6Address) {
            return String.format("%x:%x:%x::/48", word(b, 0), word(b, 2), word(b, 4));
        }
        return null;
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }
}
