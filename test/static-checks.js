'use strict';
// The checks npm test runs before jest, started together (each is one process on one core, and
// neither needs the other's output): the type-check, which is also the build (tsc -b compiles
// the sources once into dist/ and checks the tests against them), and lint. Fails when any
// fails, after all have finished, with each one's output printed in full once it ends.
const { spawn } = require('node:child_process');

const CHECKS = [
  ['typecheck and build', ['run', '-s', 'typecheck']],
  ['lint', ['run', '-s', 'lint']],
];

Promise.all(
  CHECKS.map(
    ([name, args]) =>
      new Promise((resolve) => {
        const child = spawn('npm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('close', (code) => {
          process.stdout.write(`--- ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}\n${output}`);
          resolve(code === 0);
        });
      }),
  ),
).then((results) => process.exit(results.every(Boolean) ? 0 : 1));
