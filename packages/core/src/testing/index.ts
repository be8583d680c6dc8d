export { describeWithBackends } from './describe-with-backends.js';
export type { BackendSuiteContext, DescribeWithBackendsOptions } from './describe-with-backends.js';
export { expectTensorsClose } from './expect-tensors-close.js';
export type { Tolerance } from './expect-tensors-close.js';
export { expectNoLeakedTensors } from './expect-no-leaked-tensors.js';
export { expectFailureWithoutLeaks } from './expect-failure-without-leaks.js';
export type { ErrorClass, ExpectedFailure } from './expect-failure-without-leaks.js';
