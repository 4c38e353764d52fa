'use strict';
// A require hook for running a copy of the TypeScript sources without compiling it first, as the
// tests' child processes do (a scaffolded workload, a release artifact's CLI). It transpiles only
// (no type check; `npm test`'s tsc does that) and keeps each output in a cache addressed by the
// sha256 of the source and the compiler settings, so the hundred-odd unchanged files of every
// copy are read from the cache and TypeScript itself is loaded only for a file not seen before.
// A changed file (a test's tampering, a new workload) has another hash and is transpiled anew.
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

// Part of every cache key: bump it when the options forced below change, so no stale output is reused.
const HOOK_VERSION = '1';

/**
 * Makes `require` load `.ts` files of any directory, transpiled with the compiler options of
 * `tsconfig` (a path). `typescript` is resolved from `resolveFrom` when a file must be transpiled.
 */
function register(tsconfig, resolveFrom = path.dirname(tsconfig)) {
  const tsconfigText = fs.readFileSync(tsconfig, 'utf8');
  let compiler;
  const load = () => {
    if (compiler === undefined) {
      const ts = require(require.resolve('typescript', { paths: [resolveFrom] }));
      const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson(tsconfig, tsconfigText).config, ts.sys, path.dirname(tsconfig));
      compiler = { ts, options: { ...parsed.options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: false, declaration: false } };
    }
    return compiler;
  };
  const typescriptPackage = require.resolve('typescript/package.json', { paths: [resolveFrom] });
  const typescriptVersion = JSON.parse(fs.readFileSync(typescriptPackage, 'utf8')).version;
  // node_modules/.cache, where build tools keep theirs: a fresh clone starts empty.
  const cacheDir = path.join(path.dirname(typescriptPackage), '..', '.cache', 'multiregion-transpile');
  fs.mkdirSync(cacheDir, { recursive: true });

  Module._extensions['.ts'] = function loadTypeScript(module, filename) {
    const source = fs.readFileSync(filename, 'utf8');
    const key = crypto.createHash('sha256').update(`${HOOK_VERSION}\0${typescriptVersion}\0${tsconfigText}\0${source}`).digest('hex');
    const cached = path.join(cacheDir, `${key}.js`);
    let output;
    try {
      output = fs.readFileSync(cached, 'utf8');
    } catch {
      const { ts, options } = load();
      output = ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
      // Written under a unique name, then renamed: parallel test workers never read half a file.
      const temporary = `${cached}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
      fs.writeFileSync(temporary, output);
      fs.renameSync(temporary, cached);
    }
    module._compile(output, filename);
  };
}

module.exports = { register };
