'use strict';
// The tools the test suite runs for real, checked once before anything else so that a missing
// tool is one line that says what to install, not a failure in every test that spawns it.
// Run by `npm test` first and by jest's global setup (for `npx jest ...`). The resolved terraform
// path is exported as TERRAFORM_BINARY so every test worker runs the same binary.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MIN_TERRAFORM = [1, 10];

/** The first executable `name` on PATH, or undefined. */
function onPath(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Problems (one line each) and the resolved tools; never throws. */
function checkPrerequisites(env = process.env) {
  const problems = [];
  let terraform = env.TERRAFORM_BINARY;
  if (terraform !== undefined && terraform !== '') {
    if (!fs.existsSync(terraform))
      problems.push(
        `TERRAFORM_BINARY=${terraform} does not exist: point it at a terraform >= ${MIN_TERRAFORM.join('.')} binary, or unset it to use terraform from PATH`,
      );
  } else {
    terraform = onPath('terraform', env);
    if (terraform === undefined)
      problems.push(
        `terraform is not on PATH: install terraform >= ${MIN_TERRAFORM.join('.')} (https://developer.hashicorp.com/terraform/install), or set TERRAFORM_BINARY=<path>`,
      );
  }
  if (terraform !== undefined && problems.length === 0) {
    const version = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env: { ...env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    const found = /"terraform_version":\s*"(\d+)\.(\d+)\.(\d+)/.exec(version.stdout ?? '');
    if (found === null) {
      problems.push(`${terraform} did not report a version (terraform version -json): install terraform >= ${MIN_TERRAFORM.join('.')}`);
    } else {
      const [major, minor] = [Number(found[1]), Number(found[2])];
      if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
        problems.push(
          `${terraform} is terraform ${found[1]}.${found[2]}.${found[3]}: the tests need >= ${MIN_TERRAFORM.join('.')} (S3 native locking, ephemeral variables)`,
        );
      }
    }
  }
  if (onPath('shellcheck', env) === undefined) {
    problems.push(
      'shellcheck is not on PATH: install it (Debian/Ubuntu: apt-get install -y shellcheck; macOS: brew install shellcheck); the buildspec tests lint every command with it',
    );
  }
  return { problems, terraform };
}

/** Exits the process with one line per problem; else exports TERRAFORM_BINARY. */
function requirePrerequisites() {
  const { problems, terraform } = checkPrerequisites();
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`error: ${problem}\n`);
    process.exit(2);
  }
  process.env.TERRAFORM_BINARY = terraform;
}

module.exports = { checkPrerequisites, requirePrerequisites, onPath };

if (require.main === module) requirePrerequisites();
