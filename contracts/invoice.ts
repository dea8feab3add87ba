/**
 * The canonical invoice a partner sends us (the partner is the supplier, we are the customer). JSON bodies use
 * this form directly; UBL 2.1 XML is mapped onto it. Money is integer minor units.
 */
import { Type, type Static } from 'typebox';
import { Currency, MinorAmount } from './order';

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD', examples: ['2026-11-21'] });

const Address = Type.Object(
  {
    street: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

const Party = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    vatId: Type.Optional(Type.String({ maxLength: 32 })),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);

/** One invoice line. */
export const InvoiceLineSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000, multipleOf: 0.001 }),
    unitPriceMinor: MinorAmount,
    /** quantity × unit price, rounded half up to minor units. */
    lineTotalMinor: MinorAmount,
    taxRateBasisPoints: Type.Integer({ minimum: 0, maximum: 10_000, description: '2000 means 20 %' }),
  },
  { additionalProperties: false },
);

/** The JSON body of `POST /v1/invoices`. */
export const InvoiceSchema = Type.Object(
  {
    invoiceNumber: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9_./-]*$',
      description: "The partner's invoice number; accepted once per partner",
    }),
    issueDate: IsoDate,
    dueDate: Type.Optional(IsoDate),
    currency: Currency,
    supplier: Party,
    customer: Party,
    lines: Type.Array(InvoiceLineSchema, { minItems: 1, maxItems: 10_000 }),
    /** Sum of line totals. */
    taxExclusiveMinor: MinorAmount,
    taxTotalMinor: MinorAmount,
    /** taxExclusive + taxTotal. */
    payableMinor: MinorAmount,
    paymentTerms: Type.Optional(Type.String({ maxLength: 500 })),
    payeeIban: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$' })),
  },
  { additionalProperties: false },
);

/** A canonical invoice. */
export type Invoice = Static<typeof InvoiceSchema>;
/** One invoice line. */
export type InvoiceLine = Static<typeof InvoiceLineSchema>;

/** Durations of the approval gate (milliseconds); short in tests. */
export interface ApprovalTimings {
  reminderAfterMs: number;
  escalateAfterMs: number;
  autoRejectAfterMs: number;
}

/** Input of the invoice workflow: ids and policy only; the invoice is read from PostgreSQL (claim check). */
export interface InvoiceWorkflowInput {
  submissionId: string;
  partnerId: string;
  /** Invoices payable above this amount wait for an approver. */
  approvalThresholdMinor: number;
  approval: ApprovalTimings;
}
