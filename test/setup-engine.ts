// Each test file's cdktf behaves as the app's does (main.ts): no creation stack trace for every
// token. Under jest those traces are also source-mapped, a third of the unit tests' CPU time.
// A test that needs them takes the unpatched function from a fresh copy of cdktf's stack-trace
// module (jest.isolateModules), as test/stacks/engine-internals.test.ts does.
import { disableTokenStackTraces } from '../stacks/engine-internals';

disableTokenStackTraces();
