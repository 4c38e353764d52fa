#!/usr/bin/env node
'use strict';
require('./ensure-built').ensureBuilt();
void require('../dist/cli/main.js').run(process.argv.slice(2));
