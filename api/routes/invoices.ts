/** `POST /v1/invoices`: a partner's invoice to us, as canonical JSON or UBL 2.1 XML, checked and accepted once. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { InvoiceSchema, type Invoice } from '../../contracts/invoice';
import { stableJson } from '../../domain/idempotency';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice, sourceOf } from '../../domain/ubl/invoice';
import { acceptOnly, mediaType, XML_TYPES } from '../plugins/content-types';
import { ApiError, problemResponses } from '../problem';
import { AcceptedSchema } from '../schemas/submission';
import { acceptedExample, invoiceExample, ublExample, withoutId } from '../schemas/examples';
import { checkCanonicalInvoice } from '../schemas/invoice-validator';
import { acceptFromRequest, IdempotencyHeaders, LocationHeader } from './intake';

/** The canonical invoice from either body form, or a 4xx listing every problem (XML problems name the element). */
function readInvoice(request: FastifyRequest): Invoice {
  if (!XML_TYPES.includes(mediaType(request))) {
    const invoice = request.body as Invoice;
    const problems = checkInvoice(invoice);
    if (problems.length)
      throw new ApiError(422, 'invoice-inconsistent', 'the invoice amounts or dates do not add up', {
        errors: problems,
      });
    return invoice;
  }
  const mapped = mapUblInvoice(request.body as string);
  if (!mapped.ok) {
    const status = mapped.syntax ? 400 : 422;
    throw new ApiError(
      status,
      mapped.syntax ? 'malformed-body' : 'validation',
      mapped.syntax ? mapped.errors[0]!.message : 'the UBL invoice is invalid',
      {
        errors: mapped.errors,
      },
    );
  }
  const problems = [...checkCanonicalInvoice(mapped.invoice), ...checkInvoice(mapped.invoice)];
  if (problems.length) {
    const errors = problems.map((p) => ({ pointer: sourceOf(mapped.sources, p.pointer), message: p.message }));
    throw new ApiError(422, 'validation', 'the UBL invoice is invalid', { errors });
  }
  return mapped.invoice;
}

/** Invoice routes. */
export default async function invoiceRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/v1/invoices',
    {
      onRequest: acceptOnly(['application/json', ...XML_TYPES]),
      bodyLimit: app.config.api.documentBodyLimitBytes,
      schema: {
        tags: ['invoices'],
        summary: 'Submit an invoice (JSON or UBL 2.1 XML)',
        description:
          'Canonical JSON, or UBL 2.1 XML (Peppol BIS Billing 3.0 core fields) with Content-Type application/xml. ' +
          'Amounts must add up from the lines. An invoice number is accepted once per partner: a second one gets 409 ' +
          'naming the existing submission. XML errors name the element, e.g. /Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount.',
        security: [{ bearerAuth: [] }],
        headers: IdempotencyHeaders,
        body: {
          content: {
            'application/json': { schema: { ...InvoiceSchema, examples: [invoiceExample] } },
            'application/xml': {
              schema: Type.String({ description: 'UBL 2.1 Invoice document', examples: [ublExample] }),
            },
            'text/xml': { schema: Type.String({ description: 'UBL 2.1 Invoice document' }) },
          },
        },
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
      const invoice = readInvoice(request);
      const raw = typeof request.body === 'string' ? request.body : stableJson(invoice);
      return acceptFromRequest(
        app,
        request,
        reply,
        { type: 'invoice', payload: invoice, externalRef: invoice.invoiceNumber },
        raw,
      );
    },
  );
}
