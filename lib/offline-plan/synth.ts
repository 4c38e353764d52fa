import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackSpec } from '../stack-spec';
import { runSynthApp } from '../synth-run';
import { contain } from './containment';
import { remoteStatesOf } from './stack-copy';

export interface OfflineSynth {
  /** The app's exit code: not 0 means it printed its errors and nothing is to be planned. */
  readonly status: number;
  readonly outdir: string;
  /** The stacks selected by the tag or selector. */
  readonly stacks: readonly string[];
  /** The stacks they read the state of, synthesized as well. */
  readonly dependencies: readonly string[];
}

/**
 * Synthesizes what the offline plan needs: the selected stacks (a tag, a selector or all), and
 * the stacks whose state they read that the selection left out (a regional stack's global one),
 * matched by backend bucket and key against the organisation's stack matrix.
 */
export function synthForOfflinePlan(run: {
  readonly projectRoot: string;
  readonly environmentsDir: string;
  readonly tag?: string;
  readonly stacks?: string;
  readonly workDir: string;
  readonly matrix: readonly StackSpec[];
}): OfflineSynth {
  const outdir = path.join(run.workDir, 'synth');
  const synth = runSynthApp({ projectRoot: run.projectRoot, environmentsDir: run.environmentsDir, tag: run.tag, stacks: run.stacks, outdir });
  if (synth.status !== 0) return { status: synth.status, outdir, stacks: [], dependencies: [] };
  const missing = new Set<string>();
  for (const stack of synth.stacks) {
    const config = contain(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>).config;
    for (const state of remoteStatesOf(config)) {
      const writer = run.matrix.find((s) => s.backend.bucket === state.bucket && s.backend.key === state.key);
      if (writer !== undefined && !synth.stacks.includes(writer.stack)) missing.add(writer.stack);
    }
  }
  if (missing.size === 0) return { status: 0, outdir, stacks: synth.stacks, dependencies: [] };
  const extra = runSynthApp({
    projectRoot: run.projectRoot,
    environmentsDir: run.environmentsDir,
    stacks: [...missing].join(','),
    outdir: path.join(run.workDir, 'synth-dependencies'),
  });
  if (extra.status !== 0) return { status: extra.status, outdir, stacks: [], dependencies: [] };
  for (const stack of extra.stacks) fs.cpSync(path.join(extra.outdir, 'stacks', stack), path.join(outdir, 'stacks', stack), { recursive: true });
  return { status: 0, outdir, stacks: synth.stacks, dependencies: extra.stacks };
}

/**
 * A script that runs one stack of a kept workspace as the command ran it: the same environment
 * (PATH, a scratch HOME, no AWS variables of the caller), and AWS endpoints on port 9 of the
 * loopback, where nothing listens (the command's own port is gone with it).
 */
export function rerunScript(workspace: string, home: string, terraform: string): string {
  return [
    '#!/bin/sh',
    '# Written by `multiregion plan --offline --keep`: usage: sh run.sh <stack>',
    'set -eu',
    `cd '${workspace}'`,
    `exec env -i PATH="$PATH" HOME='${home}' TMPDIR='${home}' TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \\`,
    '  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_ENDPOINT_URL=http://127.0.0.1:9 \\',
    `  '${terraform}' test -filter="tests/$1.tftest.hcl"`,
    '',
  ].join('\n');
}
