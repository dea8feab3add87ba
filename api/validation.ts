/**
 * Two validators: request bodies are checked strictly (no type coercion, no silent removal of unknown fields);
 * params, query strings and headers are coerced from their string form. Both stop at the first error: with
 * allErrors a body of a million invalid items produced a million errors (seconds of CPU, hundreds of MiB).
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(options: Options): Ajv {
  // multipleOfPrecision: without it 0.043 is not a "multiple of 0.001" in floating point (13 % of 3-decimal values).
  const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true, multipleOfPrecision: 9, ...options });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  // RFC 3339 allows a leap second (23:59:60) that JavaScript dates cannot hold: it became an Invalid Date in SQL.
  const rfc3339 = fullFormats['date-time'] as { validate: (s: string) => boolean };
  ajv.addFormat('date-time', { type: 'string', validate: (s) => rfc3339.validate(s) && !Number.isNaN(Date.parse(s)) });
  return ajv;
}

const strict = makeAjv({ coerceTypes: false, removeAdditional: false });
const coercing = makeAjv({ coerceTypes: 'array', removeAdditional: false });

/** The schema compiler Fastify uses for every route. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
