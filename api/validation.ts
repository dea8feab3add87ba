/**
 * Two validators: request bodies are checked strictly (no type coercion, no silent removal of unknown fields);
 * params, query strings and headers are coerced from their string form. Both stop at the first error: with
 * allErrors a body of a million invalid items produced a million errors (seconds of CPU, hundreds of MiB).
 * A number in a query string, a param or a header is read only from plain decimal digits: Ajv coerces with
 * JavaScript's Number(), which also takes hex, binary, exponents, a sign and surrounding spaces (`limit=0x10` was 16).
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

/** The only spellings of a number taken from a URL or a header, by JSON Schema type. */
const DECIMAL: Record<string, RegExp> = { integer: /^-?[0-9]+$/, number: /^-?[0-9]+(\.[0-9]+)?$/ };

/** The top-level properties of an object schema that are numbers, with the spelling each must have. */
function numericProperties(schema: unknown): [string, string, RegExp][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, property]) => {
    const type = typeof property.type === 'string' ? property.type : undefined;
    return type && DECIMAL[type] ? [[name, type, DECIMAL[type]] as [string, string, RegExp]] : [];
  });
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** Refuses a number property whose text is not plain decimal, before Ajv coerces it; then validates with Ajv. */
function decimalOnly(validate: Validate, numbers: [string, string, RegExp][]): Validate {
  const checked: Validate = (data) => {
    for (const [name, type, spelling] of numbers) {
      const raw = (data as Record<string, unknown> | null)?.[name];
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (typeof value === 'string' && !spelling.test(value)) {
          checked.errors = [
            {
              instancePath: `/${name}`,
              schemaPath: `#/properties/${name}/type`,
              keyword: 'type',
              params: { type },
              message: `must be ${type === 'integer' ? 'an integer' : 'a number'} in plain decimal digits`,
            },
          ];
          return false;
        }
      }
    }
    const valid = validate(data);
    checked.errors = validate.errors;
    return valid;
  };
  return checked;
}

/** The schema compiler Fastify uses for every route. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return strict.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
  const validate = coercing.compile(schema) as Validate;
  const numbers = numericProperties(schema);
  return (numbers.length ? decimalOnly(validate, numbers) : validate) as ReturnType<FastifySchemaCompiler<object>>;
};
