'use strict';
// The fixture's bin/app.js: synthesizes main.ts of its own checkout without compiling dist/.
const path = require('node:path');
if (!process.env.STUB_BIN) throw new Error('bin/app.js stub: STUB_BIN (the stubs directory, with transpile-hook.js) is not set');
require(path.join(process.env.STUB_BIN, 'transpile-hook.js')).register(path.resolve(__dirname, '..', 'tsconfig.json'));
require(path.resolve(__dirname, '..', 'main.ts'));
