-- Before idempotency keys had a table of their own, each counter remembered its recent keys in its state. The keys of
-- the last day's increments move here, so that a retry sent across the upgrade is still answered as the first try.
INSERT INTO idempotency_key (counter_id, idempotency_key, versions, first_used_at)
SELECT aggregateIdentifier, idempotency_key, array_agg(sequenceNumber + 1), min(timeStamp::timestamptz)
FROM (SELECT aggregateIdentifier, sequenceNumber, timeStamp,
             convert_from(payload, 'UTF8')::jsonb ->> 'idempotencyKey' AS idempotency_key
      FROM DomainEventEntry
      WHERE payloadType = 'io.counterplatform.api.counter.CounterIncremented'
        -- ISO-8601 instants in UTC, as Axon writes them, compare as text
        AND timeStamp >= to_char(now() AT TIME ZONE 'UTC' - interval '24 hours', 'YYYY-MM-DD"T"HH24:MI:SS')) AS used
WHERE idempotency_key IS NOT NULL
GROUP BY aggregateIdentifier, idempotency_key
ON CONFLICT DO NOTHING;
