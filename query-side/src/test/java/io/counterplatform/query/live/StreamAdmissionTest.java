package io.counterplatform.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who counts as one client for the stream limits. */
class StreamAdmissionTest {

    @Test
    void anIPv6ClientIsItsSlash64SoChangingAddressesGainsNothing() {
        assertThat(StreamAdmission.clientOf(null, "2001:db8:1:2:aaaa::1"))
                .isEqualTo(StreamAdmission.clientOf(null, "2001:db8:1:2:ffff:1:2:3"))
                .isEqualTo("network 2001:db8:1:2:0:0:0:0/64")
                .isNotEqualTo(StreamAdmission.clientOf(null, "2001:db8:1:3::1"));
    }

    @Test
    void anIPv4ClientIsItsAddress() {
        assertThat(StreamAdmission.clientOf(null, "192.0.2.7")).isEqualTo("address 192.0.2.7");
        assertThat(StreamAdmission.clientOf(null, "192.0.2.8"))
                .isNotEqualTo(StreamAdmission.clientOf(null, "192.0.2.7"));
    }
}
