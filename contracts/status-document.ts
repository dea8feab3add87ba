/**
 * The status document of a submission (`GET /v1/submissions/{id}`), defined once: its TypeBox schema gives the
 * OpenAPI description and the response check, its static type is what services/submission-status.ts builds.
 */
import { Type, type Static } from 'typebox';
import { LiteralUnion } from './literal-union';
import { StepStatuses, SubmissionStatuses } from './submission';

/** A submission's status. */
export const StatusSchema = LiteralUnion(SubmissionStatuses, {
  description: 'received, processing, awaiting_approval, completed, failed or cancelled',
});

const StepSchema = Type.Object({
  name: Type.String(),
  status: LiteralUnion(StepStatuses),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

/** The status document of a submission. */
export const StatusDocumentSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.Union([Type.Literal('order'), Type.Literal('invoice'), Type.Literal('credit_note')]),
    status: StatusSchema,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    steps: Type.Array(StepSchema),
    result: Type.Union([
      Type.Object(
        {
          invoiceNumber: Type.Optional(Type.String()),
          currency: Type.Optional(Type.String()),
          totalMinor: Type.Optional(Type.Integer()),
          chargeId: Type.Optional(Type.String()),
          refunded: Type.Optional(Type.Boolean()),
          documentUrl: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
      Type.Null(),
    ]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    links: Type.Record(Type.String(), Type.String()),
    deliveries: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String({ description: 'Delivery id, also its webhook-id; details at /v1/webhook-deliveries/{id}' }),
          eventType: Type.String(),
          status: Type.String({ description: 'pending, succeeded, exhausted or cancelled' }),
          attemptCount: Type.Integer(),
          lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
          lastError: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    ),
  },
  { $id: 'StatusDocument' },
);

/** What `GET /v1/submissions/{id}` returns. */
export type StatusDocument = Static<typeof StatusDocumentSchema>;

/** One webhook delivery as a status document lists it; details at `/v1/webhook-deliveries/{id}`. */
export type DeliverySummary = NonNullable<StatusDocument['deliveries']>[number];
