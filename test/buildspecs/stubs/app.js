'use strict';
// The fixture's bin/app.js: synthesizes main.ts through ts-node instead of compiling dist/.
const path = require('node:path');
require(require.resolve('ts-node', { paths: [process.cwd()] })).register({ transpileOnly: true, project: path.resolve(__dirname, '..', 'tsconfig.json') });
require(path.resolve(__dirname, '..', 'main.ts'));
