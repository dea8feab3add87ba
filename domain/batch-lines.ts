/**
 * Reading an NDJSON batch: one JSON object per line, `{"type": "order" | "invoice", "body": {...}}`. Each line is
 * checked on its own (schema, invoice totals, invoice numbers repeated within the batch), so a bad line is
 * reported with its number and never sinks the good ones.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { SubmissionType } from '../contracts';
import { InvoiceSchema, type Invoice } from '../contracts/invoice';
import { OrderSchema, type Order } from '../contracts/order';
import { attachmentFieldProblems, checkInvoice } from './invoice-checks';
import { checkOrder } from './order-checks';
import { capListedErrors, IntakeError } from './intake-errors';
import {
  badKeyMessage,
  findBadKey,
  findUnstorableString,
  jsonDepth,
  MAX_JSON_DEPTH,
  storable,
  UNSTORABLE_MESSAGE,
} from './text-limits';

/** Most lines one batch may hold. */
export const MAX_BATCH_LINES = 20_000;
/** Longest line (in characters) a batch may hold: one order or invoice, not a whole file on one line. */
export const MAX_BATCH_LINE_CHARS = 1024 * 1024;

/** A line that passed every check. */
export interface GoodLine {
  line: number;
  type: Extract<SubmissionType, 'order' | 'invoice'>;
  payload: Order | Invoice;
  externalRef: string;
}

/** A line that did not, with JSON pointers relative to the line (`/body/lines/0/quantity`). */
export interface BadLine {
  line: number;
  errors: { pointer: string; message: string }[];
  /** How many errors beyond the listed ones the line has. */
  errorsOmitted?: number;
}

// multipleOfPrecision: 0.043 must count as a multiple of 0.001 despite floating point. No allErrors: a line of a
// million empty items must stop at its first error, not produce a million of them.
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, multipleOfPrecision: 9 });
addFormats(ajv);
const validators: Record<'order' | 'invoice', ValidateFunction> = {
  order: ajv.compile(OrderSchema),
  invoice: ajv.compile(InvoiceSchema),
};

function schemaErrors(errors: ErrorObject[] | null | undefined): BadLine['errors'] {
  return (errors ?? []).map((e) => {
    const extra = e.params?.missingProperty ?? e.params?.additionalProperty;
    return { pointer: `/body${e.instancePath}${extra ? `/${String(extra)}` : ''}`, message: e.message ?? 'is invalid' };
  });
}

/** Lines of an NDJSON text (a last line without newline counts), counting no further than one past the cap. */
export function batchLineCount(text: string): number {
  let newlines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && newlines <= MAX_BATCH_LINES; i = text.indexOf('\n', i + 1)) newlines++;
  return newlines + (text.length === 0 || text.endsWith('\n') ? 0 : 1);
}

const NON_SPACE = /\S/g;

/**
 * Lines of an NDJSON text that are not blank: the ones read and checked (a blank line is skipped, as `readBatch`
 * skips it: white space only, as `trim()` sees it). One pass: each search starts past the line the last one found.
 */
export function batchReadLineCount(text: string): number {
  let count = 0;
  for (let from = 0; ;) {
    NON_SPACE.lastIndex = from;
    const found = NON_SPACE.exec(text);
    if (!found) return count;
    count++;
    const end = text.indexOf('\n', found.index);
    if (end === -1) return count;
    from = end + 1;
  }
}

/** Splits and checks a batch body. Blank lines are skipped but still counted, so line numbers match the file. */
export function readBatch(text: string): { good: GoodLine[]; bad: BadLine[]; lineCount: number } {
  const good: GoodLine[] = [];
  const bad: BadLine[] = [];
  const invoiceLines = new Map<string, number>();
  // Counted before any line is split or parsed: an oversized batch costs one scan, not a parse per line.
  if (batchLineCount(text) > MAX_BATCH_LINES)
    throw new IntakeError(413, 'batch-too-large', `a batch may hold at most ${MAX_BATCH_LINES} lines`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const refuse = (message: string, pointer = '/') => bad.push({ line, errors: [{ pointer, message }] });
    if (raw.length > MAX_BATCH_LINE_CHARS) return refuse(`the line is longer than ${MAX_BATCH_LINE_CHARS} characters`);
    if (jsonDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return refuse(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (err) {
      // The parser quotes the offending UTF-16 unit, which may be half a pair: made storable before it is kept.
      return refuse(`not valid JSON: ${storable((err as Error).message)}`);
    }
    // PostgreSQL cannot store these in jsonb: refused here, so the line fails alone instead of the whole batch.
    const unstorable = findUnstorableString(doc);
    if (unstorable !== undefined) return refuse(UNSTORABLE_MESSAGE, unstorable);
    // A member stated twice would be read as its last statement; JSON.parse keeps a __proto__ member as data.
    const badKey = findBadKey(raw);
    if (badKey) return refuse(badKeyMessage(badKey.problem), badKey.pointer);
    const envelope = doc as { type?: unknown; body?: unknown };
    if (
      !envelope ||
      typeof envelope !== 'object' ||
      Array.isArray(envelope) ||
      (envelope.type !== 'order' && envelope.type !== 'invoice')
    ) {
      bad.push({ line, errors: [{ pointer: '/type', message: 'must be "order" or "invoice"' }] });
      return;
    }
    const extra = Object.keys(envelope).filter((k) => k !== 'type' && k !== 'body');
    const type = envelope.type;
    const validate = validators[type];
    if (!validate(envelope.body) || extra.length) {
      bad.push({
        line,
        errors: [
          ...extra.map((k) => ({ pointer: `/${k}`, message: 'is not allowed' })),
          ...schemaErrors(validate.errors),
        ],
      });
      return;
    }
    if (type === 'order') {
      const order = envelope.body as Order;
      const problems = checkOrder(order);
      if (problems.length) {
        bad.push({ line, errors: problems.map((p) => ({ pointer: `/body${p.pointer}`, message: p.message })) });
        return;
      }
      good.push({ line, type, payload: order, externalRef: order.orderNumber });
      return;
    }
    const invoice = envelope.body as Invoice;
    const problems = [...checkInvoice(invoice), ...attachmentFieldProblems(invoice, false)].map((p) => ({
      pointer: `/body${p.pointer}`,
      message: p.message,
    }));
    // Credit notes reverse bookings of invoices that may be in the same batch: they come one by one.
    if (invoice.documentType === 'credit_note')
      problems.push({
        pointer: '/body/documentType',
        message: 'send credit notes to POST /v1/invoices, one at a time',
      });
    const earlier = invoiceLines.get(invoice.invoiceNumber);
    if (earlier !== undefined)
      problems.push({
        pointer: '/body/invoiceNumber',
        message: `invoice ${invoice.invoiceNumber} is already on line ${earlier}`,
      });
    if (problems.length) {
      bad.push({ line, errors: problems });
      return;
    }
    invoiceLines.set(invoice.invoiceNumber, line);
    good.push({ line, type, payload: invoice, externalRef: invoice.invoiceNumber });
  });
  return { good, bad: bad.map((line) => capListedErrors(line)), lineCount: lines.length };
}
