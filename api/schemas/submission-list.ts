/** Schemas of the submission list, its opaque cursor, and the cancel answer. */
import { Type } from 'typebox';
import { StatusSchema } from './submission';

/** Query of `GET /v1/submissions`. */
export const ListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Union(StatusSchema.anyOf, { description: 'Only submissions with this status' })),
    type: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('invoice'), Type.Literal('credit_note')])),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `nextCursor` of the previous page (opaque)' }),
    ),
  },
  { additionalProperties: false },
);

/** One submission in a list. */
export const SubmissionSummarySchema = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('order'), Type.Literal('invoice'), Type.Literal('credit_note')]),
  status: StatusSchema,
  reference: Type.Union([Type.String(), Type.Null()], { description: 'Order or invoice number' }),
  batchId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ self: Type.String() }),
});

/** A page of submissions. */
export const SubmissionPageSchema = Type.Object({
  items: Type.Array(SubmissionSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `cursor` for the next page; null on the last',
  }),
});

/** The answer to a cancel request. */
export const CancelAcceptedSchema = Type.Object({
  id: Type.String(),
  status: StatusSchema,
  cancelRequested: Type.Literal(true),
  links: Type.Object({ self: Type.String() }),
});

/** Encodes a list position (the last id seen) as an opaque cursor. */
export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof after === 'string' && /^sub_[0-9a-z]{26}$/.test(after) ? after : undefined;
  } catch {
    return undefined;
  }
}
