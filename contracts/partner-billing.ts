/**
 * A partner's billing details: who the partner is as the buyer on the invoices we issue for its orders (EN 16931
 * BG-7). All optional; a partner without them is named by its name only. Stored as `partners.billing` (jsonb) and
 * copied, as the buyer, onto each invoice when its number is taken (`issued_invoices.buyer`), so an issued invoice
 * does not change when the partner's details do.
 */
import { Type, type Static } from 'typebox';

/**
 * One line of text: not blank, no white space at either end, no control character (tab and line breaks included),
 * no unpaired surrogate and no U+FFFE/U+FFFF (none is an XML character; see domain/text-limits.ts).
 */
export const BILLING_TEXT_PATTERN =
  '^[^\\p{Cc}\\p{Cs}\\s\\uFFFE\\uFFFF](?:[^\\p{Cc}\\p{Cs}\\uFFFE\\uFFFF]*[^\\p{Cc}\\p{Cs}\\s\\uFFFE\\uFFFF])?$';

const Text = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: BILLING_TEXT_PATTERN, description });

/** A VAT identifier with its country prefix (BR-CO-09; EL for Greece), e.g. NL859712453B01. */
export const VAT_ID_PATTERN = '^[A-Z]{2}[0-9A-Za-z+*.-]+(?: [0-9A-Za-z+*.-]+)*$';

/** An ISO 6523 ICD (4 digits, e.g. 0088 GLN, 0106 KVK, 0208 Belgian enterprise number) or one of Peppol's EAS
 * codes that are not ICDs (99xx are 4 digits too; AN, AQ, AS, AU, EM). */
export const ENDPOINT_SCHEME_PATTERN = '^(?:[0-9]{4}|AN|AQ|AS|AU|EM)$';

/** An electronic address: no white space, no control character, and no colon (`scheme:id` is written apart). */
export const ENDPOINT_ID_PATTERN = '^[^\\p{Cc}\\p{Cs}\\s:\\uFFFE\\uFFFF]+$';

/** The buyer's postal address (BG-8): street, city, post code and country are required together (BR-10, BR-11). */
export const BillingAddressSchema = Type.Object(
  {
    street: Text(200, 'Street and number, address line 1 (BT-50)'),
    additionalStreet: Type.Optional(Text(200, 'Address line 2 (BT-51)')),
    city: Text(100, 'City (BT-52)'),
    postalCode: Text(20, 'Post code (BT-53)'),
    countrySubdivision: Type.Optional(Text(100, 'Country subdivision, e.g. a region or state (BT-54)')),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code (BT-55)' }),
  },
  { additionalProperties: false },
);

/** The buyer's electronic address (BT-49): where Peppol delivers its invoices (PEPPOL-EN16931-R010). */
export const BillingEndpointSchema = Type.Object(
  {
    scheme: Type.String({ pattern: ENDPOINT_SCHEME_PATTERN, description: 'ISO 6523 ICD or Peppol EAS code' }),
    id: Type.String({ minLength: 1, maxLength: 128, pattern: ENDPOINT_ID_PATTERN, description: 'Electronic address' }),
  },
  { additionalProperties: false },
);

/** A partner's billing details as set with `cli partner create|billing`. */
export const PartnerBillingSchema = Type.Object(
  {
    /** BT-44; the partner's name when absent. */
    legalName: Type.Optional(Text(200, "Registered name (BT-44); the partner's name when absent")),
    /** BT-48. */
    vatId: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 32,
        pattern: VAT_ID_PATTERN,
        description: 'VAT identifier with its country prefix (BT-48, BR-CO-09)',
      }),
    ),
    address: Type.Optional(BillingAddressSchema),
    endpoint: Type.Optional(BillingEndpointSchema),
  },
  { additionalProperties: false },
);

/** A partner's billing details. */
export type PartnerBilling = Static<typeof PartnerBillingSchema>;
/** A postal address of billing details. */
export type BillingAddress = Static<typeof BillingAddressSchema>;

/**
 * The buyer as it was when an invoice's number was taken: the legal name (else the partner's name then) and the
 * partner's other billing details then. Written by `insertNumberedInvoice` (db/issued-invoices.ts).
 */
export interface InvoiceBuyer {
  name: string;
  vatId?: string;
  address?: BillingAddress;
  endpoint?: { scheme: string; id: string };
}
