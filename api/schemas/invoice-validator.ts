/** The canonical invoice schema as a compiled check, for bodies that did not arrive as JSON (UBL). */
import { InvoiceSchema, type Invoice } from '../../contracts/invoice';
import { validatorCompiler } from '../validation';

const validate = validatorCompiler({
  schema: InvoiceSchema,
  httpPart: 'body',
  method: 'POST',
  url: '/v1/invoices',
}) as ((v: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
};

/** Every schema error of a mapped invoice, as JSON pointers into the canonical form. */
export function checkCanonicalInvoice(invoice: Invoice): { pointer: string; message: string }[] {
  if (validate(invoice)) return [];
  return (validate.errors ?? []).map((e) => ({
    pointer: `${e.instancePath}${e.params?.missingProperty ? `/${String(e.params.missingProperty)}` : ''}` || '/',
    message: e.message ?? 'is invalid',
  }));
}
