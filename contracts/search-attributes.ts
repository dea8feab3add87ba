/** Custom search attributes operators filter runs by in the Temporal UI. */
import { defineSearchAttributeKey } from '@temporalio/common';

/** Partner that owns the run. */
export const PartnerIdKey = defineSearchAttributeKey('PartnerId', 'KEYWORD');
/** order, invoice, webhook-delivery, billing-run, subscription-charge. */
export const SubmissionTypeKey = defineSearchAttributeKey('SubmissionType', 'KEYWORD');
/** The submission's current status, kept current by the workflow. */
export const SubmissionStatusKey = defineSearchAttributeKey('SubmissionStatus', 'KEYWORD');
/** Our invoice number once issued, or the partner's invoice number. */
export const InvoiceNumberKey = defineSearchAttributeKey('InvoiceNumber', 'KEYWORD');
/** Billing period of a billing run or subscription charge. */
export const BillingPeriodKey = defineSearchAttributeKey('BillingPeriod', 'KEYWORD');

/** Every custom search attribute key, for servers started by tests and benchmarks. */
export const searchAttributeKeys = [
  PartnerIdKey,
  SubmissionTypeKey,
  SubmissionStatusKey,
  InvoiceNumberKey,
  BillingPeriodKey,
];

/** Name and type of every custom search attribute, for registering them on a server. */
export const searchAttributeDefinitions = {
  PartnerId: 'Keyword',
  SubmissionType: 'Keyword',
  SubmissionStatus: 'Keyword',
  InvoiceNumber: 'Keyword',
  BillingPeriod: 'Keyword',
} as const;
