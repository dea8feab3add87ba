/** A small `--flag value` parser for the admin CLI. */

/** Parsed flags: `--name x` gives `{ name: 'x' }`, a bare `--dry-run` gives `{ 'dry-run': true }`. */
export type Flags = Record<string, string | true>;

/** Raised for wrong usage; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Splits argv into positional words and flags. */
export function parseArgs(argv: string[]): { words: string[]; flags: Flags } {
  const words: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    // Only the first '=' ends the name: `--legal-name=Smith=Jones` is the value Smith=Jones.
    const eq = arg.indexOf('=');
    const [name, inline] = eq < 0 ? [arg.slice(2), undefined] : [arg.slice(2, eq), arg.slice(eq + 1)];
    const next = argv[i + 1];
    if (inline !== undefined) flags[name] = inline;
    else if (next !== undefined && !next.startsWith('--')) flags[name] = argv[++i]!;
    else flags[name] = true;
  }
  return { words, flags };
}

/** A required string flag. */
export function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** An optional string flag. */
export function optionalFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

/** An optional non-negative integer flag. */
export function integerFlag(flags: Flags, name: string): number | undefined {
  const value = optionalFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}
