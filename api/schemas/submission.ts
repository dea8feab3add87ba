/** Response schemas for submissions. */
import { Type } from 'typebox';
import { StatusDocumentSchema, StatusSchema } from '../../contracts/status-document';

/** The status document and its status are contracts of their own: the API and the services share them. */
export { StatusDocumentSchema, StatusSchema };

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
