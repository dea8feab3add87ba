-- The payment method each attempt of a period's charge was made with. An attempt whose outcome was never recorded
-- is made again under its idempotency key, so with the same method: the provider then answers the charge it took,
-- where the subscription's new card would make the key refused and a later attempt charge the period again.
-- NULL on rows from before this migration: their attempt is made again with the subscription's method, as it was.
ALTER TABLE subscription_charges ADD COLUMN payment_method text;
