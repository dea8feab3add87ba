/**
 * Malformed and hostile requests over every route documented in /openapi.json: no 5xx, the heap bounded. The fault
 * suite runs the same at a larger size (test/faults/fuzz.test.ts).
 */
import { fuzzSuite } from '../support/fuzz';

fuzzSuite(1000);
