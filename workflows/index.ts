/** Every workflow the workers run; `workflowsPath` points here. */
export { creditNoteWorkflow } from './credit-note';
export { invoiceWorkflow } from './invoice';
export { orderWorkflow } from './order';
export { webhookDeliveryWorkflow } from './webhook-delivery';
export { billingRunWorkflow } from './billing-run';
export { subscriptionChargeWorkflow } from './subscription-charge';
