/** Response schemas for submissions. */
import { Type } from 'typebox';
import { SubmissionStatuses } from '../../contracts';

/** A submission's status. */
export const StatusSchema = Type.Union(
  SubmissionStatuses.map((s) => Type.Literal(s)),
  { description: 'received, processing, awaiting_approval, completed, failed or cancelled' },
);

/** Answer to an accepted submission (202). */
export const AcceptedSchema = Type.Object(
  {
    id: Type.String({ examples: ['sub_01jd3k7x2q9m4n5p6r7s8t9v0w'] }),
    type: Type.Union([Type.Literal('order'), Type.Literal('invoice'), Type.Literal('credit_note')]),
    status: StatusSchema,
    links: Type.Object({ self: Type.String() }, { additionalProperties: Type.String() }),
  },
  { $id: 'Accepted' },
);

const StepSchema = Type.Object({
  name: Type.String(),
  status: Type.Union(
    ['pending', 'running', 'completed', 'failed', 'compensated', 'skipped'].map((s) => Type.Literal(s)),
  ),
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
