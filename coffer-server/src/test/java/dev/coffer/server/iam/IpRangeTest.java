package dev.coffer.server.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address and CIDR parsing for IpAddress / NotIpAddress, IPv4 and IPv6, without name resolution. */
class IpRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "203.0.113.0/24, 203.0.113.255, true",
            "203.0.113.0/24, 203.0.112.255, false",
            "203.0.113.9/24, 203.0.113.1, true",
            "10.0.0.0/8, 10.255.255.255, true",
            "0.0.0.0/0, 255.255.255.255, true",
            "192.0.2.1, 192.0.2.1, true",
            "192.0.2.1/32, 192.0.2.2, false",
            "::1, ::1, true",
            "::/0, 2001:db8::1, true",
            "2001:db8::/32, 2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32, 2001:db9::, false",
            "2001:db8:0:0:0:0:0:1/128, 2001:db8::1, true",
            "fe80::/10, febf::1, true",
            "fe80::/10, fec0::1, false",
            "2001:db8::/64, 2001:db8::ffff:1.2.3.4, true",
            "10.0.0.0/8, ::ffff:10.0.0.1, true",
            "10.0.0.0/8, not-an-ip, false",
            "10.0.0.0/8, 10.0.0, false",
            "10.0.0.0/8, 10.0.0.256, false",
            "2001:db8::/32, 2001:db8::1::2, false",
            "2001:db8::/32, 1:2:3:4:5:6:7:8:9, false",
            "2001:db8::/32, 12345::, false",
            "::/0, :1::, false",
            "1:2:3:4:5:6:7::/112, 1:2:3:4:5:6:7:0, true"})
    void contains(String cidr, String address, boolean expected) {
        IpRange range = IpRange.parse(cidr);
        assertThat(range).isNotNull();
        assertThat(range.contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "2001:db8::/129", "host.example.com", "1.2.3"})
    void invalidRanges_parseToNull(String cidr) {
        assertThat(IpRange.parse(cidr)).isNull();
    }
}
