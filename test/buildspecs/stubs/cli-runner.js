'use strict';
// Runs cli/main.ts of the current directory (the build's source) without compiling it.
const path = require('node:path');
require('./transpile-hook').register(path.resolve('tsconfig.json'));
void require(path.resolve('cli/main.ts')).run(process.argv.slice(2));
