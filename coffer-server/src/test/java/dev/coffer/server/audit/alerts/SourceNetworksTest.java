package dev.coffer.server.audit.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceNetworksTest {
    @Test
    void ipv4AddressesAreGroupedBy24AndIpv6By48() {
        assertThat(SourceNetworks.of("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(SourceNetworks.of("::ffff:203.0.113.77")).as("IPv4-mapped").isEqualTo("203.0.113.0/24");
        assertThat(SourceNetworks.of("2001:db8:abcd:12::1")).isEqualTo("2001:db8:abcd::/48");
        assertThat(SourceNetworks.of("::1")).isEqualTo("0:0:0::/48");
    }

    @Test
    void anythingButAnAddressLiteralHasNoNetwork() {
        assertThat(SourceNetworks.of("secretsmanager.amazonaws.com")).isNull();
        assertThat(SourceNetworks.of("localhost")).isNull();
        assertThat(SourceNetworks.of(null)).isNull();
        assertThat(SourceNetworks.of("999.1.1.1")).isNull();
    }
}
