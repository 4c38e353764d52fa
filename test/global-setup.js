'use strict';
// Compile once before any test spawns bin/app.js or bin/multiregion.js, so parallel workers never
// race to run tsc.
module.exports = async () => {
  require('../bin/ensure-built').ensureBuilt();
};
