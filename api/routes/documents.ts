/**
 * `GET /v1/submissions/{id}/invoice.pdf` and `.../invoice.xml`: the invoice we issued for a partner's order, as the
 * stored PDF and as a Peppol BIS Billing 3.0 UBL document built from the stored order and the buyer stored with the
 * invoice when it was issued.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findIssuedInvoice, getInvoiceDocument } from '../../db/issued-invoices';
import { getOrder } from '../../db/orders';
import { getSubmissionPayload } from '../../db/submissions';
import { orderInvoice } from '../../domain/order-invoice';
import { writeUbl } from '../../domain/ubl/writer';
import { ApiError, problemResponses } from '../problem';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

/** Document routes. */
export default async function documentRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/submissions/:id/invoice.pdf',
    {
      schema: {
        tags: ['submissions'],
        summary: 'The invoice PDF of an order',
        description: 'Available once the order workflow has issued the invoice (see links.invoice on the status).',
        security: [{ bearerAuth: [] }],
        params: Params,
        produces: ['application/pdf'],
        response: {
          // The same JSON Schema as a plain object; Unsafe only tells the type provider the body is bytes.
          200: Type.Unsafe<Buffer>({
            description: 'The invoice PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      // Filtered by the caller's partner id: another partner's invoice is simply not found.
      const doc = await getInvoiceDocument(app.pool, request.partnerId, id);
      if (!doc) throw new ApiError(404, 'not-found', `submission ${id} has no invoice (yet)`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${doc.invoiceNumber}.pdf"`)
        .send(doc.document);
    },
  );

  app.get(
    '/v1/submissions/:id/invoice.xml',
    {
      schema: {
        tags: ['submissions'],
        summary: 'The invoice of an order as Peppol BIS Billing 3.0 UBL',
        description:
          'The same invoice as the PDF, as a UBL 2.1 Invoice (EN 16931, Peppol BIS 3.0): charged by card at order ' +
          'time, so the whole amount is prepaid. The buyer is the partner as it was when the invoice was issued, ' +
          'with its billing details (legal name, VAT id, postal address, electronic address) as they were then. ' +
          "Any partner can send it back to POST /v1/invoices. EN 16931 needs the buyer's postal address (BR-10): " +
          'an invoice issued to a partner without one has no UBL form (409 buyer-address-missing); set the ' +
          "partner's billing details and the invoices issued from then on have it.",
        security: [{ bearerAuth: [] }],
        params: Params,
        produces: ['application/xml'],
        response: {
          200: { description: 'The UBL invoice', content: { 'application/xml': { schema: { type: 'string' } } } },
          ...problemResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const issued = await findIssuedInvoice(app.pool, id);
      const order = issued && issued.partnerId === request.partnerId ? await getOrder(app.pool, id) : undefined;
      if (!issued || !order) throw new ApiError(404, 'not-found', `submission ${id} has no invoice (yet)`);
      const payload = (await getSubmissionPayload(app.pool, id)) as { taxRateBasisPoints?: number };
      const invoice = orderInvoice({
        invoiceNumber: issued.invoiceNumber,
        issuedAt: issued.issuedAt,
        // The buyer as issued; invoices issued before buyers were stored name the partner by its name.
        buyer: issued.buyer,
        order,
        taxRateBasisPoints: payload.taxRateBasisPoints ?? 0,
      });
      // Written without the buyer's address, the document would break EN 16931 (BR-10) and every ERP would refuse it.
      if (!invoice.customer.address)
        throw new ApiError(
          409,
          'buyer-address-missing',
          `invoice ${issued.invoiceNumber} was issued to a buyer without a postal address, which EN 16931 requires ` +
            "(BR-10), so it has no UBL form; invoices issued after the partner's billing details are set have one",
          { rule: 'BR-10' },
        );
      return reply
        .type('application/xml')
        .header('content-disposition', `attachment; filename="${issued.invoiceNumber}.xml"`)
        .send(writeUbl(invoice));
    },
  );
}
