'use strict';
// Check the tools the tests run (one line per missing tool), then compile once before any test
// spawns bin/app.js or bin/multiregion.js, so parallel workers never race to run tsc.
module.exports = async () => {
  require('./prerequisites').requirePrerequisites();
  require('../bin/ensure-built').ensureBuilt();
};
