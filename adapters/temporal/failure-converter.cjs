// Failure converter of every client and worker, loaded by path (`failureConverterPath`): in the workflow sandbox
// (bundled) and in the main thread. Error messages and stack traces move into an encoded payload, so the payload
// codec encrypts them like any other data (an error message may quote a partner's data).
// Plain CommonJS so that Node can require it without a TypeScript loader (the SDK requires it at run time).
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
