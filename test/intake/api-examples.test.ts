/**
 * The examples of the API documentation are what a partner copies first: each is accepted by the checks of
 * POST /v1/invoices as it stands.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { judge } from './judge';
import { invoiceExample, ublExample } from '../../api/schemas/examples';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';

describe('the documented invoice examples', () => {
  it('the UBL one is a Peppol BIS invoice the route accepts', () => {
    expect(judge(ublExample)).toEqual([]);
  });

  it('the JSON one is accepted', () => {
    expect([...Value.Errors(InvoiceSchema, invoiceExample)]).toEqual([]);
    expect(checkInvoice(invoiceExample)).toEqual([]);
  });
});
