/** Schemas of the batch routes. */
import { Type } from 'typebox';
import { FieldErrorSchema } from '../problem';

const LineResultSchema = Type.Object({
  line: Type.Integer({ description: 'Line number in the body, from 1' }),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
  id: Type.Optional(Type.String({ description: 'The submission made from an accepted line' })),
  type: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('invoice')])),
  errors: Type.Optional(
    Type.Array(FieldErrorSchema, { description: 'Why a line was rejected; pointers are relative to the line' }),
  ),
  errorsOmitted: Type.Optional(
    Type.Integer({ description: 'How many more errors the line has: at most 20 are listed per line' }),
  ),
  submissionId: Type.Optional(Type.String({ description: 'The earlier submission of a duplicate invoice number' })),
});

/** The 202 answer to a batch. */
export const BatchAcceptedSchema = Type.Object({
  id: Type.String({ examples: ['bat_01jd3k7x2q9m4n5p6r7s8t9v0w'] }),
  lineCount: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  lines: Type.Array(LineResultSchema),
  links: Type.Object({ self: Type.String() }),
});

/** The 422 answer when no line could be accepted. */
export const BatchRejectedSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    lines: Type.Array(LineResultSchema),
  },
  { additionalProperties: true },
);

/** `GET /v1/batches/{id}`. */
export const BatchStatusSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lineCount: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  counts: Type.Object(
    {
      received: Type.Integer(),
      processing: Type.Integer(),
      awaiting_approval: Type.Integer(),
      completed: Type.Integer(),
      failed: Type.Integer(),
      cancelled: Type.Integer(),
    },
    { description: 'Accepted submissions of the batch by status' },
  ),
  notYetStarted: Type.Integer({ description: 'Accepted submissions whose workflow is still being started' }),
  rejectedLines: Type.Array(LineResultSchema),
  links: Type.Object({ self: Type.String(), submissions: Type.String() }),
});
