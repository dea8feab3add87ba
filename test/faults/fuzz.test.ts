/** The generated fuzz run of test/api/fuzz.test.ts at volume: thousands of hostile requests, no 5xx, heap bounded. */
import { fuzzSuite } from '../support/fuzz';

fuzzSuite(5000);
