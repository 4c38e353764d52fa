#!/usr/bin/env node
'use strict';
// The cdktf app command (see cdktf.json): build if stale, then synthesize.
require('./ensure-built').ensureBuilt();
require('../dist/main.js');
