/** The canonical order a partner submits, and the order workflow's input. */
import { Type, type Static } from 'typebox';

/** A money amount in minor units (cents); never a float. */
export const MinorAmount = Type.Integer({
  minimum: 0,
  maximum: 1_000_000_000_000,
  description: 'Amount in minor units, e.g. cents',
});

/** ISO 4217 currency code. */
export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code',
  examples: ['EUR'],
});

/** One line of an order. */
export const OrderLineSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unitPriceMinor: MinorAmount,
  },
  { additionalProperties: false },
);

/** The JSON body of `POST /v1/orders`. */
export const OrderSchema = Type.Object(
  {
    orderNumber: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9_./-]*$',
      description: "The partner's own order reference",
    }),
    currency: Currency,
    customer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.String({ format: 'email', maxLength: 320 }),
      },
      { additionalProperties: false },
    ),
    lines: Type.Array(OrderLineSchema, { minItems: 1, maxItems: 1000 }),
    taxRateBasisPoints: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: '2000 means 20 %' })),
    payment: Type.Object(
      { method: Type.String({ minLength: 1, maxLength: 255, description: 'Payment method token, e.g. pm_card_visa' }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A canonical order. */
export type Order = Static<typeof OrderSchema>;
/** One order line. */
export type OrderLine = Static<typeof OrderLineSchema>;

/** Input of the order workflow: ids only; the order itself is read from PostgreSQL (claim check). */
export interface OrderWorkflowInput {
  submissionId: string;
  partnerId: string;
}
