/**
 * A partner's billing details: checked against their schema (contracts/partner-billing.ts) with readable messages,
 * and the buyer of an issued invoice as the customer (BG-7) of our invoice model.
 */
import { Value } from 'typebox/value';
import type { Invoice } from '../contracts/invoice';
import { PartnerBillingSchema, type InvoiceBuyer } from '../contracts/partner-billing';
import { inCodeList } from './code-lists';
import { hasVatPrefix, isCountryCode } from './countries';
import { identifierRuleBroken } from './peppol-identifier-rules';
import { findUnstorableString, UNSTORABLE_MESSAGE } from './text-limits';

/** One problem of billing details: the JSON pointer of the field and what is wrong with it. */
export interface BillingProblem {
  pointer: string;
  message: string;
}

const TEXT_MESSAGE = 'must not be blank, start or end with white space, or contain a control character';

/** What a field's pattern asks for, by the field's name (the last segment of its pointer). */
const PATTERN_MESSAGES: Record<string, string> = {
  vatId: 'must start with its two-letter country prefix (BR-CO-09; EL for Greece) followed by letters and digits',
  country: 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. NL (GR for Greece)',
  scheme: 'must be an ISO 6523 ICD of 4 digits (e.g. 0088, 0106, 0208) or a Peppol EAS code (AN, AQ, AS, AU, EM)',
  id: 'must not be blank or contain white space, a colon or a control character',
};

/** The problems of one schema error: a missing field is reported at the field's own pointer. */
function problemsOf(error: {
  keyword: string;
  instancePath: string;
  message: string;
  params: unknown;
}): BillingProblem[] {
  const pointer = error.instancePath;
  const field = pointer.split('/').at(-1) ?? '';
  const params = error.params as { limit?: number; requiredProperties?: string[]; additionalProperties?: string[] };
  const one = (message: string) => [{ pointer, message }];
  switch (error.keyword) {
    case 'pattern':
      return one(PATTERN_MESSAGES[field] ?? TEXT_MESSAGE);
    case 'minLength':
      return one(field === 'vatId' ? PATTERN_MESSAGES.vatId! : 'must not be empty');
    case 'maxLength':
      return one(`must be at most ${params.limit} characters`);
    case 'required': {
      const of = field === 'address' ? ' in an address (BR-10, BR-11)' : field === 'endpoint' ? ' in an endpoint' : '';
      return (params.requiredProperties ?? []).map((name) => ({
        pointer: `${pointer}/${name}`,
        message: `is required${of}`,
      }));
    }
    case 'additionalProperties':
      return (params.additionalProperties ?? []).map((name) => ({
        pointer: `${pointer}/${name}`,
        message: 'is not a billing detail',
      }));
    // A field the schema does not know is reported once, by its parent's additionalProperties.
    case 'boolean':
      return [];
    default:
      return one(error.message);
  }
}

/** An endpoint scheme of the right form that is on no list (BR-CL-25). */
const EAS_MESSAGE =
  'is not a scheme of the EAS list (e.g. 0088 GLN, 0106 KVK, 0192 Norwegian org. number, 9930 German VAT)';

/** Which error of a field is reported when it has several. */
const RANK = ['type', 'required', 'additionalProperties', 'minLength', 'maxLength', 'pattern'];

/** The problems of billing details; none means they can be stored. */
export function checkPartnerBilling(value: unknown): BillingProblem[] {
  const unstorable = findUnstorableString(value);
  if (unstorable !== undefined) return [{ pointer: unstorable, message: UNSTORABLE_MESSAGE }];
  // One problem per field: the first of its errors in RANK order (an empty text is empty before it is malformed).
  const problems = new Map<string, BillingProblem & { rank: number }>();
  for (const error of Value.Errors(PartnerBillingSchema, value)) {
    const known = RANK.indexOf(error.keyword);
    const rank = known < 0 ? RANK.length : known;
    for (const problem of problemsOf(error)) {
      const seen = problems.get(problem.pointer);
      if (!seen || rank < seen.rank) problems.set(problem.pointer, { ...problem, rank });
    }
  }
  const billing = value as { vatId?: unknown; address?: { country?: unknown } } | null;
  // Beyond the schema's form: the code lists and identifier rules our invoice's readers check (BR-CL-14, BR-CL-25,
  // BR-CO-09, PEPPOL-COMMON-R040 ..).
  const country = billing?.address?.country;
  if (typeof country === 'string' && !problems.has('/address/country') && !isCountryCode(country))
    problems.set('/address/country', { pointer: '/address/country', message: PATTERN_MESSAGES.country!, rank: 0 });
  const endpoint = (billing as { endpoint?: { scheme?: unknown; id?: unknown } } | null)?.endpoint;
  if (typeof endpoint?.scheme === 'string' && !problems.has('/endpoint/scheme')) {
    if (!inCodeList('eas', endpoint.scheme))
      problems.set('/endpoint/scheme', { pointer: '/endpoint/scheme', message: EAS_MESSAGE, rank: 0 });
    // Our invoice claims Peppol BIS: a GLN with a wrong check digit there would make it one Peppol refuses.
    const broken =
      typeof endpoint.id === 'string' && !problems.has('/endpoint/id')
        ? identifierRuleBroken(endpoint.scheme, endpoint.id)
        : undefined;
    if (broken)
      problems.set('/endpoint/id', {
        pointer: '/endpoint/id',
        message: `must be ${broken.what} (${broken.rule})`,
        rank: 0,
      });
  }
  const vatId = billing?.vatId;
  if (typeof vatId === 'string' && !problems.has('/vatId') && !hasVatPrefix(vatId))
    problems.set('/vatId', { pointer: '/vatId', message: PATTERN_MESSAGES.vatId!, rank: 0 });
  return [...problems.values()].map(({ pointer, message }) => ({ pointer, message }));
}

/**
 * The buyer of an issued invoice as our invoice's customer: its name (written as the registration name, BT-44), VAT
 * id (BT-48), electronic address (BT-49) and postal address (BG-8), each only when the snapshot has it.
 */
export function invoiceCustomer(buyer: InvoiceBuyer): Invoice['customer'] {
  return {
    name: buyer.name,
    ...(buyer.vatId !== undefined ? { vatId: buyer.vatId } : {}),
    ...(buyer.endpoint ? { endpointId: buyer.endpoint.id, endpointScheme: buyer.endpoint.scheme } : {}),
    ...(buyer.address ? { address: { ...buyer.address } } : {}),
  };
}
