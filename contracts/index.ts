/** Contracts shared by the API, the workers and the CLI: import from here, never from their files. */
export * from './task-queues';
export * from './workflow-ids';
export * from './submission';
export * from './search-attributes';
export * from './messages';
export * from './webhooks';
export * from './billing';
export * from './errors';
export type { DeliverySummary, StatusDocument } from './status-document';
export type { Order, OrderLine, OrderWorkflowInput } from './order';
export type { ApprovalTimings, CreditNoteWorkflowInput, Invoice, InvoiceLine, InvoiceWorkflowInput } from './invoice';
export type { BillingAddress, InvoiceBuyer, PartnerBilling } from './partner-billing';
