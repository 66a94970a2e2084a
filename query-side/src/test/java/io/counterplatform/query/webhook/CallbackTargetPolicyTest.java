package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.counterplatform.api.counter.InvalidCounterInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackTargetPolicyTest {

    private final CallbackTargetPolicy policy = new CallbackTargetPolicy(false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/hook",
                "http://127.8.9.10/hook",
                "http://localhost:8080/hook",
                "http://[::1]/hook",
                "http://0.0.0.0/hook",
                "http://[::]/hook",
                "http://10.1.2.3/hook",
                "http://172.16.0.1/hook",
                "http://172.31.255.255/hook",
                "http://192.168.1.1/hook",
                "http://169.254.169.254/latest/meta-data",
                "http://[fe80::1]/hook",
                "http://[fc00::1]/hook",
                "http://[fd12:3456::1]/hook",
                "http://[::ffff:127.0.0.1]/hook",
                "http://[::ffff:10.0.0.1]/hook",
                "http://100.64.0.1/hook",
                "http://224.0.0.1/hook",
                "http://255.255.255.255/hook"
            })
    void refusesLoopbackPrivateLinkLocalAndUnspecifiedTargets(String url) {
        assertThatThrownBy(() -> policy.check(url))
                .isInstanceOf(InvalidCounterInput.class)
                .hasMessageStartingWith("callbackUrl");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://93.184.215.14/hook",
                "file:///etc/passwd",
                "javascript:alert(1)",
                "//93.184.215.14/x",
                "http://user:pw@93.184.215.14/hook",
                "not a url",
                ""
            })
    void refusesWhatIsNotAPlainHttpUrl(String url) {
        assertThatThrownBy(() -> policy.check(url)).isInstanceOf(InvalidCounterInput.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://93.184.215.14/hook",
                "https://93.184.215.14:8443/a?b=c",
                "http://[2606:2800:21f:cb07::1]/x"
            })
    void acceptsPublicAddresses(String url) {
        assertThatCode(() -> policy.check(url)).doesNotThrowAnyException();
    }

    @Test
    void allowsPrivateTargetsWhenConfiguredTo() {
        assertThat(new CallbackTargetPolicy(true)
                        .check("http://127.0.0.1:9999/hook")
                        .getPort())
                .isEqualTo(9999);
    }
}
