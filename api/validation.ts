/**
 * Two validators: request bodies are checked strictly (no type coercion, no silent removal of unknown fields,
 * every error reported); params, query strings and headers are coerced from their string form.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(options: Options): Ajv {
  // multipleOfPrecision: without it 0.043 is not a "multiple of 0.001" in floating point (13 % of 3-decimal values).
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, multipleOfPrecision: 9, ...options });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

const strict = makeAjv({ coerceTypes: false, removeAdditional: false });
const coercing = makeAjv({ coerceTypes: 'array', removeAdditional: false });

/** The schema compiler Fastify uses for every route. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
