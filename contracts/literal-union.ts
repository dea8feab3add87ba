/** A union of string literals whose static type is the union of the values, not `never`. */
import { Type, type TLiteral, type TSchemaOptions, type TUnion } from 'typebox';

/** The literals in their own order: `anyOf: [{const: 'a'}, ...]`, typed as `'a' | ...` through the type provider. */
export function LiteralUnion<const Values extends readonly string[]>(
  values: Values,
  options?: TSchemaOptions,
): TUnion<{ -readonly [K in keyof Values]: TLiteral<Values[K]> }> {
  // Array.map loses the tuple; the schema is the same, only its static type is restored here.
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof Values]: TLiteral<Values[K]> }>;
}
