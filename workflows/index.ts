/** Every workflow the workers run; `workflowsPath` points here. */
export { orderWorkflow } from './order';
