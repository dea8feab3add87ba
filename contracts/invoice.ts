/**
 * The canonical invoice a partner sends us (the partner is the supplier, we are the customer): the EN 16931 semantic
 * model as Peppol BIS Billing 3.0 uses it, for invoices and credit notes. JSON bodies use this form directly; UBL 2.1
 * XML is mapped onto it, so both feed one model and one check. Money is integer minor units of the document
 * currency; line amounts may be negative (returns and corrections are ordinary lines).
 */
import { Type, type Static } from 'typebox';
import { Currency } from './order';

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD', examples: ['2026-11-21'] });

/** A signed amount in minor units (EN 16931 amounts may be negative). */
const SignedMinor = Type.Integer({
  minimum: -1_000_000_000_000,
  maximum: 1_000_000_000_000,
  description: 'Amount in minor units of the document currency; may be negative',
});
const NonNegativeMinor = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

/** VAT category codes of UNCL5305 that EN 16931 uses. */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M', 'B'] as const;
/** One VAT category code. */
export type VatCategory = (typeof VAT_CATEGORIES)[number];
const TaxCategory = Type.Union(
  [
    Type.Literal('S'),
    Type.Literal('Z'),
    Type.Literal('E'),
    Type.Literal('AE'),
    Type.Literal('K'),
    Type.Literal('G'),
    Type.Literal('O'),
    Type.Literal('L'),
    Type.Literal('M'),
    Type.Literal('B'),
  ],
  {
    description:
      'S standard, Z zero, E exempt, AE reverse charge, K intra-community, G export, O outside scope, L IGIC, M IPSI, B split payment',
  },
);
const RateBasisPoints = Type.Integer({ minimum: 0, maximum: 10_000, description: '2000 means 20 %' });

/** The address lines after the street and the country subdivision, the same in every address of EN 16931. */
const AddressDetails = {
  /** BT-36 / BT-51 / BT-65 / BT-76 (cbc:AdditionalStreetName). */
  additionalStreet: Type.Optional(
    Type.String({ maxLength: 200, description: 'Address line 2 (cbc:AdditionalStreetName)' }),
  ),
  /** BT-162 / BT-163 / BT-164 / BT-165 (the first cac:AddressLine/cbc:Line; EN 16931 has one). */
  addressLine3: Type.Optional(
    Type.String({ maxLength: 200, description: 'Address line 3 (cac:AddressLine/cbc:Line)' }),
  ),
  /** BT-39 / BT-54 / BT-68 / BT-79 (cbc:CountrySubentity). */
  countrySubdivision: Type.Optional(
    Type.String({ maxLength: 100, description: 'Country subdivision, e.g. a region or state (cbc:CountrySubentity)' }),
  ),
};

const Address = Type.Object(
  {
    street: Type.Optional(Type.String({ maxLength: 200 })),
    ...AddressDetails,
    city: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

const PartyFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** BT-31 / BT-48. */
  vatId: Type.Optional(Type.String({ maxLength: 32 })),
  /** BT-32: a tax registration id other than VAT. */
  taxRegistrationId: Type.Optional(Type.String({ maxLength: 64 })),
  /** BT-29 / BT-46: a party identifier (PartyIdentification), e.g. a GLN. */
  identifier: Type.Optional(Type.String({ maxLength: 128 })),
  /** BT-30 / BT-47. */
  legalRegistrationId: Type.Optional(Type.String({ maxLength: 64 })),
  endpointId: Type.Optional(Type.String({ maxLength: 128 })),
  address: Type.Optional(Address),
  /** The scheme (schemeID) of `endpointId`, e.g. 0088, 9933. */
  endpointScheme: Type.Optional(Type.String({ maxLength: 10 })),
  /** The scheme (schemeID) of `identifier`, e.g. 0088, SEPA. */
  identifierScheme: Type.Optional(Type.String({ maxLength: 10 })),
  /** The scheme (schemeID) of `legalRegistrationId`, e.g. 0106 (KVK), 0184 (CVR), 0196 (kennitala). */
  legalRegistrationIdScheme: Type.Optional(Type.String({ maxLength: 10 })),
  /** BT-28 / BT-45 trading name (PartyName), when stated. */
  tradingName: Type.Optional(Type.String({ maxLength: 200 })),
  /** BG-6 / BG-9 contact. */
  contact: Type.Optional(
    Type.Object(
      {
        name: Type.Optional(Type.String({ maxLength: 200 })),
        telephone: Type.Optional(Type.String({ maxLength: 100 })),
        email: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
  ),
};

const Party = Type.Object(PartyFields, { additionalProperties: false });

/** The seller (BG-4): a party, and its additional legal information, which EN 16931 has for the seller only. */
const Seller = Type.Object(
  {
    ...PartyFields,
    /** BT-33 seller additional legal information (cbc:CompanyLegalForm), e.g. share capital. */
    additionalLegalInfo: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'BT-33 seller additional legal information, e.g. share capital (cbc:CompanyLegalForm)',
      }),
    ),
  },
  { additionalProperties: false },
);

const AllowanceChargeFields = {
  /** true for a charge, false for an allowance. */
  charge: Type.Boolean(),
  amountMinor: SignedMinor,
  baseAmountMinor: Type.Optional(SignedMinor),
  /** Percentage in basis points (1000 = 10 %). */
  percentBasisPoints: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  reasonCode: Type.Optional(Type.String({ maxLength: 10 })),
};

/** An allowance or charge on one line (BG-27 / BG-28). */
const LineAllowanceCharge = Type.Object(AllowanceChargeFields, { additionalProperties: false });

/** A document-level allowance or charge (BG-20 / BG-21), with its VAT category. */
const DocumentAllowanceCharge = Type.Object(
  { ...AllowanceChargeFields, taxCategory: TaxCategory, taxRateBasisPoints: Type.Optional(RateBasisPoints) },
  { additionalProperties: false },
);

const Period = Type.Object(
  {
    startDate: Type.Optional(IsoDate),
    endDate: Type.Optional(IsoDate),
    /** BT-8 (document period only): UNTDID 2005 code of the VAT point date, e.g. 3 (invoice date), 35, 432. */
    descriptionCode: Type.Optional(Type.String({ maxLength: 3 })),
  },
  { additionalProperties: false },
);

/** One invoice line (BG-25). */
export const InvoiceLineSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    /** BT-154 item description (cbc:Description), beside the item name in `description` (BT-153). */
    itemDescription: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'BT-154 item description, beside the name' }),
    ),
    /** BT-129; negative for returns. */
    quantity: Type.Number({
      minimum: -1_000_000_000,
      maximum: 1_000_000_000,
      description: 'At most six decimals (checked exactly on its decimal form, not by a float multipleOf)',
    }),
    unitCode: Type.Optional(Type.String({ maxLength: 10 })),
    /** BT-146 item net price in minor units (rounded when `unitPrice` carries more decimals). */
    unitPriceMinor: NonNegativeMinor,
    /** BT-146 exactly, when it has more decimals than the currency, e.g. "0.1234". */
    unitPrice: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}(\\.[0-9]{1,10})?$' })),
    /** BT-149 price base quantity (default 1). */
    priceBaseQuantity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 })),
    /** BT-150 the price base quantity's unit (`unitCode` of `cbc:BaseQuantity`), when stated. */
    priceBaseUnitCode: Type.Optional(
      Type.String({ maxLength: 10, description: 'BT-150 price base quantity unit of measure, UN/ECE Rec 20' }),
    ),
    /** BT-148 gross price and BT-147 price discount: net = gross - discount. */
    grossPriceMinor: Type.Optional(NonNegativeMinor),
    priceDiscountMinor: Type.Optional(NonNegativeMinor),
    /** BT-148 and BT-147 exactly, when they have more decimals than the currency (as `unitPrice`). */
    grossPrice: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}(\\.[0-9]{1,10})?$' })),
    priceDiscount: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}(\\.[0-9]{1,10})?$' })),
    /** BT-131 line net amount: quantity x price / base quantity + charges - allowances. */
    lineTotalMinor: SignedMinor,
    /** BT-151; when absent (older JSON clients) S is assumed for a positive rate, Z for zero. */
    taxCategory: Type.Optional(TaxCategory),
    /** BT-152; absent for category O. */
    taxRateBasisPoints: Type.Optional(RateBasisPoints),
    allowanceCharges: Type.Optional(Type.Array(LineAllowanceCharge, { maxItems: 100 })),
    period: Type.Optional(Period),
    /** BT-132 referenced purchase order line. */
    orderLineReference: Type.Optional(Type.String({ maxLength: 200 })),
    /** BT-133 invoice line buyer accounting reference. */
    buyerAccountingReference: Type.Optional(
      Type.String({ maxLength: 200, description: 'BT-133 where the buyer books this line (cbc:AccountingCost)' }),
    ),
    /** BT-128 invoice line object identifier, and its scheme (UNCL1153, e.g. ABZ). */
    objectId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'BT-128 line object identifier' }),
    ),
    objectScheme: Type.Optional(Type.String({ maxLength: 10, description: 'BT-128 scheme, UNCL1153' })),
    /** BT-155 / BT-156 the item's identifiers given by the seller and by the buyer. */
    sellerItemId: Type.Optional(Type.String({ maxLength: 200, description: "BT-155 item seller's identifier" })),
    buyerItemId: Type.Optional(Type.String({ maxLength: 200, description: "BT-156 item buyer's identifier" })),
    /** BT-157 item standard identifier and its scheme (ISO 6523 ICD, e.g. 0160 GTIN). */
    standardItemId: Type.Optional(Type.String({ maxLength: 200, description: 'BT-157 item standard identifier' })),
    standardItemScheme: Type.Optional(
      Type.String({ maxLength: 10, description: 'BT-157 scheme (ISO 6523 ICD, e.g. 0160 GTIN)' }),
    ),
    /** BT-158 item classifications, each with its list (UNTDID 7143, e.g. STI CPV) and list version. */
    classifications: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 200 }),
            listId: Type.Optional(Type.String({ maxLength: 10 })),
            listVersionId: Type.Optional(Type.String({ maxLength: 35 })),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 20,
          description: 'BT-158 item classifications: code, listId (UNTDID 7143, e.g. STI), listVersionId',
        },
      ),
    ),
    /** BT-159 item country of origin. */
    originCountry: Type.Optional(
      Type.String({ pattern: '^[A-Z]{2}$', description: 'BT-159 item country of origin, ISO 3166-1 alpha-2' }),
    ),
    /** BG-32 item attributes (BT-160 name, BT-161 value) in document order. */
    attributes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            value: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: 'BG-32 item attributes: name (BT-160) and value (BT-161)' },
      ),
    ),
    /** BT-127 invoice line note, as sent. */
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'BT-127 invoice line note' })),
  },
  { additionalProperties: false },
);

/** One VAT breakdown group (BG-23). */
export const TaxBreakdownSchema = Type.Object(
  {
    category: TaxCategory,
    rateBasisPoints: Type.Optional(RateBasisPoints),
    taxableMinor: SignedMinor,
    taxMinor: SignedMinor,
    exemptionReason: Type.Optional(Type.String({ maxLength: 500 })),
    exemptionReasonCode: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** The unit of a quantity stated without one: C62, "one" (UN/ECE Recommendation 20). */
export const DEFAULT_UNIT_CODE = 'C62';

/**
 * The mime codes EN 16931 allows for an embedded document (BT-125-1, code list MIMEMediaType, BR-CL-24): PDF, PNG,
 * JPEG, CSV, Excel and OpenDocument spreadsheets.
 */
export const EMBEDDED_MIME_CODES: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
];

const Attachment = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    filename: Type.Optional(
      Type.String({ maxLength: 200, description: 'BT-125-2, required with embedded content (UBL-DT-07)' }),
    ),
    mimeCode: Type.Optional(
      Type.String({
        maxLength: 100,
        description: `BT-125-1, required with embedded content, one of ${EMBEDDED_MIME_CODES.join(', ')} (BR-CL-24)`,
      }),
    ),
    externalUri: Type.Optional(Type.String({ maxLength: 2000 })),
    /** An embedded document (base64) as sent; the API moves it into PostgreSQL and keeps only `contentId`. */
    contentBase64: Type.Optional(Type.String({ maxLength: 14_000_000 })),
    /** Claim check: the embedded document is stored in PostgreSQL under this id, never in a workflow payload. */
    contentId: Type.Optional(Type.String({ maxLength: 64 })),
    sizeBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** BT-1 as partners' ERPs write it: printable, no control characters (C0, C1), no white space at either end. */
export const INVOICE_NUMBER_PATTERN = '^[^\\p{Cc}\\s](?:[^\\p{Cc}]*[^\\p{Cc}\\s])?$';

/** The JSON body of `POST /v1/invoices` (an invoice, or a credit note with `documentType: "credit_note"`). */
export const InvoiceSchema = Type.Object(
  {
    documentType: Type.Optional(
      Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')], { description: 'default invoice' }),
    ),
    specification: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        // An identifier: no white space, no control character.
        pattern: '^[^\\p{Cc}\\s]+$',
        description:
          'BT-24 the specification the invoice claims (UBL `cbc:CustomizationID`). Absent: Peppol BIS Billing 3.0, ' +
          "held to EN 16931 and to Peppol's own rules (PEPPOL-EN16931-R*, the national rules). One that does not " +
          'name `urn:fdc:peppol.eu:2017:poacc:billing:3.0` is held to EN 16931, and one that claims XRechnung 3 ' +
          "(`urn:xeinkauf.de:kosit:xrechnung_3.0`, or its extension) to XRechnung's own rules (BR-DE-*) as well",
        examples: ['urn:cen.eu:en16931:2017'],
      }),
    ),
    invoiceNumber: Type.String({
      minLength: 1,
      maxLength: 200,
      // BT-1 is free text in EN 16931, and Peppol's Greek rules (GR-R-001) even require `|`-separated segments: any
      // printable text without control characters or spaces at either end.
      pattern: INVOICE_NUMBER_PATTERN,
      description:
        "The partner's invoice (or credit note) number, as their ERP writes it (e.g. `INV-2026/0417`, " +
        '`061828591|01/10/2020|0|1.1|0|1`): printable text, no control characters, no spaces at either end; ' +
        'accepted once per partner',
    }),
    issueDate: IsoDate,
    dueDate: Type.Optional(IsoDate),
    /** BT-7 VAT point date. */
    taxPointDate: Type.Optional(IsoDate),
    /**
     * BG-1 invoice notes in document order. UBL writes the subject code (BT-21) in the note itself as `#CODE#text`
     * (German practice); it is kept apart only in that form, with a three-letter UNCL4451 code, and written back so.
     */
    notes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            subjectCode: Type.Optional(
              Type.String({ pattern: '^[A-Z]{3}$', description: 'BT-21 UNCL4451 subject code, e.g. AAI, REG' }),
            ),
            text: Type.String({ minLength: 1, maxLength: 10_000, description: 'BT-22 the note, exactly as sent' }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 100,
          description:
            'BG-1 invoice notes in document order; in UBL `#AAI#text` is subject code AAI and note text, ' +
            'other text (`a#b`, `#1#x`) is the note as sent',
        },
      ),
    ),
    /** BT-3, e.g. 380 invoice, 381 credit note; UNTDID 1001 also has two-digit codes (71, 81, 82...), BR-CL-01. */
    typeCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,3}$' })),
    currency: Currency,
    /** BT-6 and BT-111: VAT accounting currency and the total VAT in it. */
    taxCurrency: Type.Optional(Currency),
    taxTotalInTaxCurrencyMinor: Type.Optional(SignedMinor),
    buyerReference: Type.Optional(Type.String({ maxLength: 200 })),
    orderReference: Type.Optional(Type.String({ maxLength: 200 })),
    /** BT-14 sales order reference; without `orderReference` UBL writes the purchase order as NA (Peppol). */
    salesOrderReference: Type.Optional(Type.String({ maxLength: 200, description: 'BT-14 sales order reference' })),
    /** BT-11 project reference (a CreditNote states it as a document reference of type 50). */
    projectReference: Type.Optional(Type.String({ maxLength: 200, description: 'BT-11 project reference' })),
    /** BT-12 contract reference. */
    contractReference: Type.Optional(Type.String({ maxLength: 200, description: 'BT-12 contract reference' })),
    /** BT-15 receiving advice reference. */
    receivingAdviceReference: Type.Optional(
      Type.String({ maxLength: 200, description: 'BT-15 receiving advice reference' }),
    ),
    /** BT-16 despatch advice reference. */
    despatchAdviceReference: Type.Optional(
      Type.String({ maxLength: 200, description: 'BT-16 despatch advice reference' }),
    ),
    /** BT-17 tender or lot reference. */
    tenderReference: Type.Optional(Type.String({ maxLength: 200, description: 'BT-17 tender or lot reference' })),
    /** BT-18 invoiced object identifier (a document reference of type 130), and its scheme (UNCL1153, e.g. AUN). */
    invoicedObjectId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'BT-18 invoiced object identifier' }),
    ),
    invoicedObjectScheme: Type.Optional(Type.String({ maxLength: 10, description: 'BT-18 scheme, UNCL1153' })),
    /** BT-19 buyer accounting reference. */
    buyerAccountingReference: Type.Optional(
      Type.String({ maxLength: 200, description: 'BT-19 where the buyer books the invoice (cbc:AccountingCost)' }),
    ),
    /** BG-3: the invoices a credit note corrects. */
    billingReferences: Type.Optional(
      Type.Array(
        Type.Object(
          { invoiceNumber: Type.String({ minLength: 1, maxLength: 200 }), issueDate: Type.Optional(IsoDate) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    invoicePeriod: Type.Optional(Period),
    delivery: Type.Optional(
      Type.Object(
        {
          date: Type.Optional(IsoDate),
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          /** BT-75 deliver-to address line 1, and lines 2 and 3 and the subdivision as in every address. */
          street: Type.Optional(Type.String({ maxLength: 200, description: 'BT-75 deliver-to address line 1' })),
          ...AddressDetails,
          /** BT-77 / BT-78 deliver-to city and post code. */
          city: Type.Optional(Type.String({ maxLength: 100 })),
          postalCode: Type.Optional(Type.String({ maxLength: 20 })),
          /** BT-70 deliver-to party name (cac:DeliveryParty/cac:PartyName/cbc:Name). */
          name: Type.Optional(Type.String({ maxLength: 200 })),
          /** BT-71 deliver-to location identifier (cac:DeliveryLocation/cbc:ID) and its scheme (ISO 6523 ICD). */
          locationId: Type.Optional(
            Type.String({ minLength: 1, maxLength: 200, description: 'BT-71 deliver-to location identifier' }),
          ),
          locationScheme: Type.Optional(
            Type.String({ maxLength: 10, description: 'BT-71 scheme (ISO 6523 ICD, e.g. 0088 GLN)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    supplier: Seller,
    customer: Party,
    /** BG-10 the payee, when another party than the seller is to be paid (e.g. a factoring company). */
    payee: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200, description: 'BT-59 payee name' }),
          identifier: Type.Optional(Type.String({ maxLength: 128, description: 'BT-60 payee identifier' })),
          identifierScheme: Type.Optional(Type.String({ maxLength: 10, description: 'BT-60 scheme, e.g. 0088' })),
          legalRegistrationId: Type.Optional(
            Type.String({ maxLength: 64, description: 'BT-61 payee legal registration identifier' }),
          ),
          legalRegistrationIdScheme: Type.Optional(Type.String({ maxLength: 10, description: 'BT-61 scheme' })),
        },
        {
          additionalProperties: false,
          description: 'BG-10 payee (name, identifier, legal registration identifier), when it is not the seller',
        },
      ),
    ),
    /** BT-62 the tax representative's own name (older stored invoices have none: the seller's is written). */
    taxRepresentativeName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'BT-62 seller tax representative name' }),
    ),
    /** BT-63. */
    taxRepresentativeVatId: Type.Optional(Type.String({ maxLength: 32 })),
    /** BG-12 the tax representative's postal address. */
    taxRepresentativeAddress: Type.Optional(Address),
    lines: Type.Array(InvoiceLineSchema, { minItems: 1, maxItems: 10_000 }),
    allowanceCharges: Type.Optional(Type.Array(DocumentAllowanceCharge, { maxItems: 1000 })),
    /** BT-106 sum of line net amounts. */
    lineExtensionMinor: Type.Optional(SignedMinor),
    /** BT-107 / BT-108. */
    allowanceTotalMinor: Type.Optional(SignedMinor),
    chargeTotalMinor: Type.Optional(SignedMinor),
    /** BT-109 = lines - allowances + charges. */
    taxExclusiveMinor: SignedMinor,
    /** BT-110 = sum of the breakdown's tax amounts. */
    taxTotalMinor: SignedMinor,
    /** BT-112 = tax exclusive + tax. */
    taxInclusiveMinor: Type.Optional(SignedMinor),
    /** BT-113 paid amount and BT-114 rounding amount. */
    prepaidMinor: Type.Optional(SignedMinor),
    roundingMinor: Type.Optional(SignedMinor),
    /** BT-115 = tax inclusive - prepaid + rounding (+ the third-party payments under XRechnung's extension). */
    payableMinor: SignedMinor,
    /**
     * BG-DEX-09, XRechnung's extension only (`cac:PrepaidPayment`): amounts the buyer pays to third parties through
     * this invoice (BT-DEX-001 type, BT-DEX-002 amount, BT-DEX-003 description); they add to the amount due (BR-DEX-09).
     */
    thirdPartyPayments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: Type.String({ minLength: 1, maxLength: 200 }),
            amountMinor: SignedMinor,
            description: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 100 },
      ),
    ),
    /** BG-23; derived from the lines when a JSON client leaves it out. */
    taxBreakdown: Type.Optional(Type.Array(TaxBreakdownSchema, { minItems: 1, maxItems: 100 })),
    paymentTerms: Type.Optional(Type.String({ maxLength: 500 })),
    /** Kept for older clients: the first payee account (`payment.accountId`) when it is an IBAN. */
    payeeIban: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$' })),
    /**
     * BG-16 payment instructions. One means code and one remittance information for the document; the payee
     * accounts (BG-17, 0..n) are the first one in `accountId`, `accountName`, `serviceProviderId` and the others in
     * `additionalCreditTransfers`, in document order; UBL writes one `PaymentMeans` per account.
     */
    payment: Type.Optional(
      Type.Object(
        {
          meansCode: Type.String({
            minLength: 1,
            maxLength: 10,
            description: 'BT-81, UNCL4461, e.g. 58 SEPA credit transfer; one for every account (UBL-SR-47)',
          }),
          /** BT-82 payment means text (the `name` of `cbc:PaymentMeansCode`, written on the first one: UBL-SR-46). */
          meansText: Type.Optional(
            Type.String({ maxLength: 200, description: 'BT-82 payment means text, e.g. Credit transfer' }),
          ),
          paymentId: Type.Optional(
            Type.String({ maxLength: 200, description: 'BT-83 remittance information, the same for every account' }),
          ),
          /** BT-84 of the first credit transfer account: IBAN, or any other account id (BBAN, account number...). */
          accountId: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description:
                'BT-84, the first account to pay into (IBAN, BBAN, account number...); never a card number or ' +
                'the debited account of a direct debit',
            }),
          ),
          /** BT-85 and BT-86 (e.g. a BIC) of the first credit transfer account. */
          accountName: Type.Optional(Type.String({ maxLength: 200 })),
          serviceProviderId: Type.Optional(Type.String({ maxLength: 64 })),
          /** BG-17 credit transfer accounts after the first one, in document order (needs `accountId`). */
          additionalCreditTransfers: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  accountId: Type.String({ minLength: 1, maxLength: 200, description: 'BT-84' }),
                  accountName: Type.Optional(Type.String({ maxLength: 200, description: 'BT-85' })),
                  serviceProviderId: Type.Optional(Type.String({ maxLength: 64, description: 'BT-86, e.g. a BIC' })),
                },
                { additionalProperties: false },
              ),
              {
                maxItems: 20,
                description:
                  'BG-17 credit transfer accounts after the first one (accountId, accountName, serviceProviderId), ' +
                  'in document order',
              },
            ),
          ),
          /** BT-87 payment card primary account number (BG-18), as sent. */
          cardAccountId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          /**
           * The card network (`cac:CardAccount/cbc:NetworkID`, e.g. VISA): UBL requires it, EN 16931 has no term for
           * it; written as NA (Peppol's value for none) when absent, and NA is read as absent.
           */
          cardNetworkId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          /** BT-88 payment card holder name. */
          cardHolderName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          /** BG-19 direct debit: BT-89 mandate reference and BT-91 debited account. */
          mandate: Type.Optional(
            Type.Object(
              {
                id: Type.Optional(Type.String({ maxLength: 200 })),
                debitedAccountId: Type.Optional(Type.String({ maxLength: 200 })),
              },
              { additionalProperties: false },
            ),
          ),
          /** BT-90 bank assigned creditor identifier (a seller or payee identifier with scheme SEPA). */
          creditorId: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

/** A canonical invoice or credit note. */
export type Invoice = Static<typeof InvoiceSchema>;
/** One invoice line. */
export type InvoiceLine = Static<typeof InvoiceLineSchema>;
/** One VAT breakdown group. */
export type TaxBreakdown = Static<typeof TaxBreakdownSchema>;

/** Input of the credit note workflow: the same ids and approval policy as an invoice's. */
export type CreditNoteWorkflowInput = InvoiceWorkflowInput;

/** Durations of the approval gate (milliseconds); short in tests. */
export interface ApprovalTimings {
  reminderAfterMs: number;
  escalateAfterMs: number;
  autoRejectAfterMs: number;
}

/** Input of the invoice workflow: ids and policy only; the invoice is read from PostgreSQL (claim check). */
export interface InvoiceWorkflowInput {
  submissionId: string;
  partnerId: string;
  /** Invoices payable above this amount wait for an approver. */
  approvalThresholdMinor: number;
  approval: ApprovalTimings;
}
