-- The W3C traceparent of the event a delivery carries, so the delivery continues the increment's trace.
ALTER TABLE webhook_delivery ADD COLUMN trace_parent text;
