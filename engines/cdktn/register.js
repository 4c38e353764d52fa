'use strict';
// The CDK Terrain engine switch for plain node: loaded with `node --require engines/cdktn/register.js`
// (run.js sets NODE_OPTIONS, so child processes such as the synth app get it too). The sources
// import `cdktf`, `@cdktf/provider-aws/lib/<resource>` and `constructs`; here those resolve to
// `cdktn`, `@cdktn/provider-aws/lib/<resource>` and the `constructs` version cdktn's bindings
// require, all from engines/cdktn/node_modules. One instance of each: the provider bindings
// import `cdktn` themselves, so mapping (rather than an npm alias, which would install a second
// copy under the name `cdktf`) keeps tokens and `instanceof` checks in one module graph.
const Module = require('node:module');
const path = require('node:path');

const ENGINE_DIR = __dirname;
const MAPPINGS = [
  [/^cdktf(\/.*)?$/, (m) => `cdktn${m[1] ?? ''}`],
  [/^@cdktf\/provider-aws(\/.*)?$/, (m) => `@cdktn/provider-aws${m[1] ?? ''}`],
  [/^constructs(\/.*)?$/, (m) => `constructs${m[1] ?? ''}`],
];

/** The engine's file for a request the sources make, or undefined for any other request. */
function engineTarget(request) {
  for (const [pattern, rename] of MAPPINGS) {
    const match = pattern.exec(request);
    if (match !== null) return rename(match);
  }
  return undefined;
}

const original = Module._resolveFilename;
Module._resolveFilename = function resolveFromEngine(request, parent, isMain, options) {
  const target = engineTarget(request);
  // Requests from inside the engine's own packages resolve normally (they already find the
  // engine's copies); only the project's requests are redirected.
  if (target !== undefined && !(parent?.filename ?? '').startsWith(path.join(ENGINE_DIR, 'node_modules') + path.sep)) {
    return original.call(
      this,
      target,
      { ...parent, paths: [path.join(ENGINE_DIR, 'node_modules')], filename: path.join(ENGINE_DIR, 'index.js'), id: path.join(ENGINE_DIR, 'index.js') },
      isMain,
      options,
    );
  }
  return original.call(this, request, parent, isMain, options);
};

module.exports = { engineTarget, ENGINE_DIR, engine: 'cdktn' };
