'use strict';
// Compiles the TypeScript sources into dist/ when dist/ is missing or older than a source file,
// so `npx cdktf synth` and `npx multiregion` work right after `npm ci` without a build step,
// while every later run goes straight to plain `node` on compiled JS (no ts-node: it type-checks
// and costs seconds per synth).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const sourceDirs = ['lib', 'guardrails', 'stacks', 'modules', 'workloads', 'cli', 'bench', 'scripts'];
const stamp = path.join(root, 'dist', '.tsbuildinfo');

function newestSourceMtime() {
  let newest = fs.statSync(path.join(root, 'main.ts')).mtimeMs;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  for (const dir of sourceDirs) walk(path.join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) {
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  if (process.env.MULTIREGION_SKIP_BUILD === '1') return;
  let built = 0;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestSourceMtime()) return;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    process.stderr.write('multiregion: compiling the TypeScript sources failed (see above)\n');
    process.exit(result.status ?? 1);
  }
  pruneStaleOutputs();
  // tsc leaves the build info untouched when nothing changed; touch it so the check above passes.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}

/**
 * Deletes compiled files whose source is gone. tsc never removes outputs, and a stale
 * dist/lib/config.js (from before lib/config.ts became lib/config/) would shadow the new
 * dist/lib/config/index.js for require('../lib/config').
 */
function pruneStaleOutputs() {
  const dist = path.join(root, 'dist');
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      } else if (/\.(js|d\.ts|js\.map)$/.test(entry.name)) {
        const source = path.join(root, path.relative(dist, full)).replace(/\.(js|d\.ts|js\.map)$/, '.ts');
        if (!fs.existsSync(source)) fs.rmSync(full);
      }
    }
  };
  walk(dist);
}

module.exports = { ensureBuilt, pruneStaleOutputs, root };

if (require.main === module && process.argv[2] === '--prune') pruneStaleOutputs();
