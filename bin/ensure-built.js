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

/** Calls `visit(file)` for every file below `dir` (and `leave(dir)` after each folder); missing folders are skipped. */
function walkFiles(dir, visit, leave = () => undefined) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walkFiles(full, visit, leave);
      leave(full);
    } else visit(full);
  }
}

function newestSourceMtime() {
  let newest = fs.statSync(path.join(root, 'main.ts')).mtimeMs;
  const walk = (dir) =>
    walkFiles(dir, (file) => {
      if (file.endsWith('.ts') || file.endsWith('.json')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    });
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
  const result = spawnSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.build.json')], {
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
  walkFiles(
    dist,
    (file) => {
      if (!/\.(js|d\.ts|js\.map)$/.test(file)) return;
      const source = path.join(root, path.relative(dist, file)).replace(/\.(js|d\.ts|js\.map)$/, '.ts');
      if (!fs.existsSync(source)) fs.rmSync(file);
    },
    (folder) => {
      if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
    },
  );
}

module.exports = { ensureBuilt, pruneStaleOutputs, root };

if (require.main === module && process.argv[2] === '--prune') pruneStaleOutputs();
