// Each test file's cdktf behaves as the app's does (main.ts): no creation stack trace for every
// token. Under jest those traces are also source-mapped, a third of the unit tests' CPU time.
// A test that needs them sets MULTIREGION_DEBUG=1 before importing cdktf, as a user would.
import { disableTokenStackTraces } from '../stacks/engine-internals';

disableTokenStackTraces();
