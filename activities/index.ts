/** Activity factories and their types; workflows import only the types. */
export * from './billing';
export * from './billing-run';
export * from './callbacks';
export * from './invoice-processing';
export * from './notification';
export * from './submissions';
export * from './webhook-delivery';
export * from './task-queues';
