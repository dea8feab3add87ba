/** RFC 9457 problem details: the one error shape of the API. */
import { Type, type Static } from 'typebox';

/** One invalid field. */
export const FieldErrorSchema = Type.Object({
  pointer: Type.String({
    description: 'JSON pointer (or XML path) of the offending field',
    examples: ['/lines/0/quantity'],
  }),
  message: Type.String(),
  rule: Type.Optional(
    Type.String({ description: 'The EN 16931 / Peppol business rule broken, if any', examples: ['BR-CO-15'] }),
  ),
});

/** The body of every error response (`application/problem+json`). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ examples: ['https://docs.partner-workflows.dev/problems/validation'] }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    submissionId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true },
);

/** A problem document. */
export type Problem = Static<typeof ProblemSchema>;

/** An error that becomes a problem response with its own status and code; 4xx messages reach the client. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Partial<Problem> & Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem document. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://docs.partner-workflows.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
}

/** Problem responses to declare on a route, by status. */
export function problemResponses(
  ...statuses: number[]
): Record<number, { description: string; content: Record<string, { schema: { $ref: string } }> }> {
  // Declared under their real media type, so the OpenAPI document and generated clients say problem+json.
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: TITLES[s] ?? 'Error', content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } } },
    ]),
  );
}
