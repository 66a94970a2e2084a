package io.counterplatform.query.wire;

import io.axoniq.axonserver.grpc.query.QueryRequest;
import io.axoniq.axonserver.grpc.query.SubscriptionQuery;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.query.QuerySerializer;
import org.axonframework.axonserver.connector.query.subscription.SubscriptionMessageSerializer;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.queryhandling.DefaultSubscriptionQueryResult;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.queryhandling.QueryResponseMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.axonframework.serialization.Serializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A query bus that sends every query, answer and update through the Axon Server connector's own serializers,
 * configured with the application's serializers, and reads it back on the other side, as {@code
 * AxonServerQueryBus} and its handling peer do. No server is involved: what it would forward is handed over
 * directly to the local segment, so the whole service runs as if its queries crossed the network.
 */
final class SerializingQueryBus implements QueryBus {

    private final QueryBus localSegment;
    private final QuerySerializer querySerializer;
    private final SubscriptionMessageSerializer subscriptionSerializer;

    SerializingQueryBus(QueryBus localSegment, Serializer messageSerializer, Serializer serializer) {
        AxonServerConfiguration server = new AxonServerConfiguration();
        server.setComponentName("query-side");
        this.localSegment = localSegment;
        this.querySerializer = new QuerySerializer(messageSerializer, serializer, server);
        this.subscriptionSerializer = new SubscriptionMessageSerializer(messageSerializer, serializer, server);
    }

    @Override
    public <R> Registration subscribe(
            String queryName, Type responseType, MessageHandler<? super QueryMessage<?, R>> handler) {
        return localSegment.subscribe(queryName, responseType, handler);
    }

    /** As {@code AxonServerQueryBus.query}: the answer is read with the response type the caller declared. */
    @Override
    public <Q, R> CompletableFuture<QueryResponseMessage<R>> query(QueryMessage<Q, R> query) {
        QueryRequest request = querySerializer.serializeRequest(query, 1, 1_000, 0);
        return handle(request)
                .thenApply(answer -> querySerializer.deserializeResponse(
                        querySerializer.serializeResponse(answer, request.getMessageIdentifier()),
                        query.getResponseType()));
    }

    /**
     * As {@code AxonServerQueryBus.subscriptionQuery}: Axon Server asks a handling instance for the initial
     * result with the subscription's own query request, and that instance registers for updates of the query as
     * it arrived and sends each one serialized.
     */
    @Override
    public <Q, I, U>
            SubscriptionQueryResult<QueryResponseMessage<I>, SubscriptionQueryUpdateMessage<U>> subscriptionQuery(
                    SubscriptionQueryMessage<Q, I, U> query, int updateBufferSize) {
        QueryRequest request = subscriptionSerializer.serializeQuery(query);
        SubscriptionQuery subscription = SubscriptionQuery.newBuilder()
                .setSubscriptionIdentifier(query.getIdentifier())
                .setQueryRequest(request)
                .setUpdateResponseType(subscriptionSerializer.serializeUpdateType(query))
                .build();
        UpdateHandlerRegistration<Object> registration = localSegment
                .queryUpdateEmitter()
                .registerUpdateHandler(subscriptionSerializer.deserialize(subscription), updateBufferSize);
        Mono<QueryResponseMessage<I>> initial = Mono.fromFuture(() -> handle(request))
                .map(answer -> subscriptionSerializer.deserialize(
                        querySerializer.serializeResponse(answer, request.getMessageIdentifier())));
        Flux<SubscriptionQueryUpdateMessage<U>> updates = registration
                .getUpdates()
                .map(subscriptionSerializer::serialize)
                .map(subscriptionSerializer::deserialize);
        return new DefaultSubscriptionQueryResult<>(initial, updates, () -> {
            registration.getRegistration().cancel();
            return true;
        });
    }

    /** What a handling instance does with a forwarded request: the connector's direct query. */
    private CompletableFuture<QueryResponseMessage<Object>> handle(QueryRequest request) {
        QueryMessage<Object, Object> received = querySerializer.deserializeRequest(request);
        return localSegment.query(received);
    }

    @Override
    public <Q, R> Stream<QueryResponseMessage<R>> scatterGather(QueryMessage<Q, R> query, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("the services send no scatter-gather queries");
    }

    @Override
    public QueryUpdateEmitter queryUpdateEmitter() {
        return localSegment.queryUpdateEmitter();
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super QueryMessage<?, ?>> dispatchInterceptor) {
        return localSegment.registerDispatchInterceptor(dispatchInterceptor);
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super QueryMessage<?, ?>> handlerInterceptor) {
        return localSegment.registerHandlerInterceptor(handlerInterceptor);
    }
}
