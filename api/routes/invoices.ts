/** `POST /v1/invoices`: a partner's invoice to us, as canonical JSON or UBL 2.1 XML, checked and accepted once. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvoiceSchema, type Invoice } from '../../contracts/invoice';
import { stableJson } from '../../services/idempotency';
import { attachmentFieldProblems, checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice, sourceOf } from '../../domain/ubl/invoice';
import { acceptOnly, XML_TYPES } from '../plugins/content-types';
import { ApiError, problemResponses } from '../problem';
import { AcceptedSchema } from '../schemas/submission';
import { acceptedExample, invoiceExample, ublExample, withoutId } from '../schemas/examples';
import { checkCanonicalInvoice } from '../schemas/invoice-validator';
import { acceptFromRequest, asApiError, chargeWhileRead, IdempotencyHeaders, LocationHeader } from './intake';
import {
  decodeEmbeddedAttachments,
  embeddedInJson,
  storeDecodedAttachments,
  type EmbeddedContent,
} from '../../services/invoice-attachments';

/** The longest message a problem lists: a rule's message quotes values of the document, which may be megabytes. */
const MAX_MESSAGE = 300;

function clipped<T extends { message: string }>(problem: T): T {
  return problem.message.length > MAX_MESSAGE
    ? { ...problem, message: `${problem.message.slice(0, MAX_MESSAGE)}...` }
    : problem;
}

/**
 * The canonical invoice from either body form, with its embedded documents apart, or a 4xx listing every problem
 * (XML problems name the element and, where one applies, the EN 16931 rule). Only JSON and XML are accepted: JSON
 * arrives parsed and checked against InvoiceSchema, XML as its text.
 */
function readInvoice(body: Invoice | string): { invoice: Invoice; embedded: EmbeddedContent[] } {
  if (typeof body !== 'string') {
    const invoice = body;
    const problems = [...checkInvoice(invoice), ...attachmentFieldProblems(invoice, true)];
    if (problems.length)
      throw new ApiError(422, 'invoice-inconsistent', 'the invoice amounts or dates do not add up', {
        errors: problems,
      });
    return { invoice, embedded: embeddedInJson(invoice) };
  }
  const mapped = mapUblInvoice(body);
  if (!mapped.ok) {
    const status = mapped.syntax ? 400 : 422;
    throw new ApiError(
      status,
      mapped.syntax ? 'malformed-body' : 'validation',
      mapped.syntax ? mapped.errors[0]!.message : 'the UBL document is invalid',
      { errors: mapped.errors.map(clipped) },
    );
  }
  const problems = [...checkCanonicalInvoice(mapped.invoice), ...checkInvoice(mapped.invoice)];
  if (problems.length || mapped.problems.length) {
    const errors = [
      ...mapped.problems.map(clipped),
      ...problems.map((p) => clipped({ ...p, pointer: sourceOf(mapped.sources, p.pointer) })),
    ];
    throw new ApiError(422, 'validation', 'the UBL document is invalid', { errors });
  }
  const embedded = mapped.embedded.map((e) => ({ attachment: e.attachment, pointer: e.path, base64: e.base64 }));
  return { invoice: mapped.invoice, embedded };
}

/** Invoice routes. */
export default async function invoiceRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/invoices',
    {
      onRequest: acceptOnly(['application/json', ...XML_TYPES]),
      preParsing: chargeWhileRead(app, app.config.api.invoiceBodyLimitBytes),
      bodyLimit: app.config.api.invoiceBodyLimitBytes,
      schema: {
        tags: ['invoices'],
        summary: 'Submit an invoice (JSON or UBL 2.1 XML)',
        description:
          'Canonical JSON, or UBL 2.1 XML (Peppol BIS Billing 3.0 Invoice or CreditNote) with Content-Type application/xml. ' +
          "Checked with the EN 16931 business rules (BR-CO arithmetic, VAT categories), and with Peppol's own rules " +
          '(line rules, national rules) when the document claims Peppol BIS in BT-24 (CustomizationID; JSON: ' +
          "`specification`, Peppol BIS when absent), and with XRechnung's own (BR-DE-*) when it claims XRechnung 3; a " +
          'plain EN 16931 document is held to EN 16931. Each error ' +
          'names its rule and, for XML, the element, e.g. BR-CO-15 at /Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount. ' +
          'A credit note (UBL CreditNote, or JSON with documentType credit_note) becomes a credit_note submission. ' +
          'A number is accepted once per partner and document type: a second one gets 409 naming the existing submission. ' +
          'Embedded attachments are stored apart (at most 5 MiB each, else 413; the whole body at most 8 MiB by default). ' +
          'A body over 256 KiB costs one rate-limit token per started 256 KiB, taken before it is read.',
        security: [{ bearerAuth: [] }],
        headers: IdempotencyHeaders,
        // Per-content-type body: the same JSON Schema as a plain object; Unsafe tells the type provider its two forms.
        body: Type.Unsafe<Invoice | string>({
          content: {
            'application/json': { schema: { ...InvoiceSchema, examples: [invoiceExample] } },
            'application/xml': {
              schema: Type.String({ description: 'UBL 2.1 Invoice or CreditNote document', examples: [ublExample] }),
            },
            'text/xml': { schema: Type.String({ description: 'UBL 2.1 Invoice or CreditNote document' }) },
          },
        }),
        response: {
          202: {
            ...withoutId(AcceptedSchema),
            description: 'Accepted; Location names the submission',
            headers: LocationHeader,
            examples: [acceptedExample('invoice')],
          },
          ...problemResponses(400, 401, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const read = readInvoice(request.body);
      // Taken before the embedded documents are stored (their ids are new on every request).
      const raw = typeof request.body === 'string' ? request.body : stableJson(read.invoice);
      // Embedded documents are checked now and stored with the submission, in its transaction; the stored invoice
      // keeps only their ids (claim check).
      let decoded;
      try {
        decoded = decodeEmbeddedAttachments(read.embedded);
      } catch (err) {
        throw asApiError(err);
      }
      const invoice = read.invoice;
      const partnerId = request.partnerId;
      return acceptFromRequest(
        app,
        request,
        reply,
        {
          type: invoice.documentType === 'credit_note' ? 'credit_note' : 'invoice',
          payload: invoice,
          externalRef: invoice.invoiceNumber,
          ...(decoded.length
            ? { preparePayload: (tx) => storeDecodedAttachments(tx, partnerId, invoice, decoded) }
            : {}),
        },
        () => raw,
      );
    },
  );
}
