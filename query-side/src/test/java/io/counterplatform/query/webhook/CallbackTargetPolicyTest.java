package io.counterplatform.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.counterplatform.api.counter.InvalidCounterInput;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.ErrorResponseException;

class CallbackTargetPolicyTest {

    private final CallbackTargetPolicy policy = policyOf(false, InetAddress::getAllByName, Duration.ofSeconds(2));

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
                "http://255.255.255.255/hook",
                "http://0.1.2.3/hook",
                "http://192.0.0.8/hook",
                "http://192.0.2.1/hook",
                "http://198.18.0.1/hook",
                "http://198.51.100.7/hook",
                "http://203.0.113.9/hook",
                "http://240.0.0.1/hook",
                "http://[64:ff9b::7f00:1]/hook",
                "http://[64:ff9b::a00:1]/hook",
                "http://[64:ff9b:1::5db8:d70e]/hook",
                "http://[2002:7f00:1::1]/hook",
                "http://[2002:a9fe:a9fe::1]/hook",
                "http://[::127.0.0.1]/hook",
                "http://[::10.0.0.1]/hook",
                "http://[2001::5db8:d70e]/hook",
                "http://[2001:db8::1]/hook",
                "http://[ff02::1]/hook",
                "http://[fec0::1]/hook",
                "http://[100::1]/hook"
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
                "http://[2606:2800:21f:cb07::1]/x",
                "http://[64:ff9b::5db8:d70e]/nat64-of-a-public-address",
                "http://[64:ff9b::93.184.215.14]/nat64-written-with-its-ipv4-address",
                "http://[2002:5db8:d70e::1]/6to4-of-a-public-address"
            })
    void acceptsPublicAddresses(String url) {
        assertThatCode(() -> policy.check(url)).doesNotThrowAnyException();
    }

    @Test
    void allowsPrivateTargetsWhenConfiguredTo() {
        assertThat(policyOf(true, InetAddress::getAllByName, Duration.ofSeconds(2))
                        .check("http://127.0.0.1:9999/hook")
                        .getPort())
                .isEqualTo(9999);
    }

    @Test
    void aRefusalNeverSaysWhatTheNameResolvedTo() {
        assertThatThrownBy(() -> policy.check("http://localhost/hook"))
                .hasMessage("callbackUrl is not a public address");
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() throws Exception {
        CallbackTargetPolicy mixed = policyOf(
                false,
                host -> new InetAddress[] {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")},
                Duration.ofSeconds(2));

        assertThatThrownBy(() -> mixed.check("https://hooks.example/x"))
                .hasMessage("callbackUrl is not a public address");
    }

    @Test
    void aNameThatResolvesToAPublicAddressAndThenToAPrivateOneIsRefusedTheSecondTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CallbackTargetPolicy rebinding = policyOf(
                false,
                host -> new InetAddress[] {
                    InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")
                },
                Duration.ofSeconds(2));

        assertThat(rebinding.check("https://rebind.example/x").getHost()).isEqualTo("rebind.example");
        assertThatThrownBy(() -> rebinding.vettedAddresses("rebind.example"))
                .hasMessage("callbackUrl is not a public address");
    }

    @Test
    void aNameServerThatDoesNotAnswerIsGivenUpOnInTime() {
        CallbackTargetPolicy slow = policyOf(
                false,
                host -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new InetAddress[0];
                },
                Duration.ofMillis(200));
        long started = System.nanoTime();

        // taken at creation, refused at delivery
        assertThat(slow.check("https://slow.example/x").getHost()).isEqualTo("slow.example");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThatThrownBy(() -> slow.vettedAddresses("slow.example"))
                .hasMessage("callbackUrl could not be resolved in time");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://0x7f000001/hook",
                "http://017700000001/hook",
                "http://0x7f.1/hook",
                "http://127.0.0.0x1./x",
                "http://0177.0.0.1/hook",
                "http://012.0.0.1/hook",
                "http://2130706433/hook",
                "http://127.1/hook",
                "http://name.invalid/hook",
                "http://hooks.localhost/hook"
            })
    void anAddressInAnOddFormOrASpecialUseNameIsRefusedWhetherOrNotItResolves(String url) {
        CallbackTargetPolicy noNames = policyOf(
                false,
                host -> {
                    throw new UnknownHostException(host);
                },
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> noNames.check(url)).isInstanceOf(InvalidCounterInput.class);
        assertThatThrownBy(() -> policy.check(url)).isInstanceOf(InvalidCounterInput.class);
        assertThat(CallbackTargetPolicy.endsInANumber("hooks.example")).isFalse();
        assertThat(CallbackTargetPolicy.endsInANumber("0x.example")).isFalse();
    }

    @Test
    void aNameThatDoesNotResolveIsTakenAtCreationAndNeverCalledUntilItResolvesToAPublicAddress() throws Exception {
        AtomicReference<InetAddress[]> answer = new AtomicReference<>();
        CallbackTargetPolicy policy = policyOf(
                false,
                host -> {
                    if (answer.get() == null) {
                        throw new UnknownHostException(host);
                    }
                    return answer.get();
                },
                Duration.ofSeconds(2));

        assertThat(policy.check("https://soon.example/x").getHost()).isEqualTo("soon.example");
        assertThatThrownBy(() -> policy.vettedAddresses("soon.example")).hasMessage("callbackUrl does not resolve");
        answer.set(new InetAddress[] {InetAddress.getByName("10.0.0.1")});
        assertThatThrownBy(() -> policy.check("https://soon.example/x"))
                .hasMessage("callbackUrl is not a public address");
        assertThatThrownBy(() -> policy.vettedAddresses("soon.example"))
                .hasMessage("callbackUrl is not a public address");
        answer.set(new InetAddress[] {InetAddress.getByName("93.184.215.14")});
        assertThat(policy.vettedAddresses("soon.example")).hasSize(1);
    }

    @Test
    void aUrlLongerThanTheColumnIsRefusedWithoutAServerError() {
        assertThatThrownBy(() -> policy.check("https://93.184.215.14/" + "a".repeat(3_000)))
                .hasMessage("callbackUrl must be at most 2048 characters");
    }

    @Test
    void requestsThatFindEveryLookupThreadBusyAre503AndDeliveriesStillResolve() throws Exception {
        CountDownLatch hanging = new CountDownLatch(1);
        CallbackResolver nameServer = host -> {
            if (host.equals("hangs.example")) {
                while (hanging.getCount() > 0) { // a name server that never answers, and a lookup deaf to interrupts
                    try {
                        hanging.await();
                    } catch (InterruptedException ignored) {
                        // as the system's resolver: it keeps waiting
                    }
                }
            }
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        };
        ThreadPoolTaskExecutor oneRequestLookup = new ThreadPoolTaskExecutorBuilder()
                .corePoolSize(1)
                .maxPoolSize(1)
                .queueCapacity(0)
                .build();
        oneRequestLookup.initialize();
        CallbackTargetPolicy policy = new CallbackTargetPolicy(
                false, Duration.ofMillis(200), nameServer, oneRequestLookup, new SimpleAsyncTaskExecutor());
        try {
            assertThat(policy.check("https://hangs.example/x").getHost()).isEqualTo("hangs.example");

            assertThatThrownBy(() -> policy.check("https://fine.example/x"))
                    .isInstanceOfSatisfying(ErrorResponseException.class, busy -> {
                        assertThat(busy.getStatusCode().value()).isEqualTo(503);
                        assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("5");
                    });
            assertThat(policy.vettedAddresses("fine.example")).hasSize(1);
        } finally {
            hanging.countDown();
            oneRequestLookup.shutdown();
        }
    }

    @Test
    void deliveriesToANameWhoseServerHangsShareOneLookupThreadAndOtherNamesStillResolve() throws Exception {
        CountDownLatch hanging = new CountDownLatch(1);
        AtomicInteger hangingLookups = new AtomicInteger();
        CallbackResolver nameServer = host -> {
            if (host.equals("hangs.example")) {
                hangingLookups.incrementAndGet();
                while (hanging.getCount() > 0) { // deaf to interrupts, as the system's resolver
                    try {
                        hanging.await();
                    } catch (InterruptedException ignored) {
                        // it keeps waiting
                    }
                }
            }
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        };
        // one thread for the hanging name, and one for each other name: a thread that has just answered is back
        // in the pool a moment after its answer, and the pool has no queue
        ThreadPoolTaskExecutor deliveryLookups = new ThreadPoolTaskExecutorBuilder()
                .corePoolSize(3)
                .maxPoolSize(3)
                .queueCapacity(0)
                .build();
        deliveryLookups.initialize();
        CallbackTargetPolicy policy = new CallbackTargetPolicy(
                false, Duration.ofMillis(100), nameServer, new SimpleAsyncTaskExecutor(), deliveryLookups);
        try {
            for (int delivery = 0; delivery < 5; delivery++) {
                assertThatThrownBy(() -> policy.vettedAddresses("hangs.example"))
                        .hasMessage("callbackUrl could not be resolved in time");
            }

            assertThat(hangingLookups).hasValue(1);
            assertThat(policy.vettedAddresses("fine.example")).hasSize(1);
            assertThat(policy.vettedAddresses("other.example")).hasSize(1);
        } finally {
            hanging.countDown();
            deliveryLookups.shutdown();
        }
    }

    /** Lookups on a thread each, as the service's bounded pool runs them. */
    static CallbackTargetPolicy policyOf(boolean allowPrivate, CallbackResolver resolver, Duration resolveTimeout) {
        SimpleAsyncTaskExecutor lookups = new SimpleAsyncTaskExecutor("lookup-");
        return new CallbackTargetPolicy(allowPrivate, resolveTimeout, resolver, lookups, lookups);
    }
}
