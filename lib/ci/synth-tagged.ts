import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Organisation } from '../config';
import { UserError } from '../errors';
import { stackSpecForTag } from '../stack-spec';
import { parseReleaseTag, quoteTag } from '../tag';
import { backendMismatches } from './backend-config';
import { runSynthApp } from '../synth-run';

/**
 * Synthesizes exactly one stack for a tag, with the assume-role variable the pipeline roles need:
 * runs the cdktf app of `repoDir` (`node bin/app.js`) and checks what it wrote, which must be
 * that one stack with the backend the tag derives. Returns the stack's directory, relative to
 * `repoDir`.
 */
export function synthTaggedStack(org: Organisation, tag: string, repoDir: string, environmentsDir = org.dir): string {
  const spec = stackSpecForTag(org, parseReleaseTag(tag));
  const outdir = path.join(repoDir, 'cdktf.out');
  const result = runSynthApp(
    {
      projectRoot: repoDir,
      environmentsDir,
      tag,
      outdir,
      // The pipeline's source is an archive (or a worktree) of exactly the tagged commit, which the
      // trigger checked; an archive has no .git for the synth's own tag-at-HEAD check to read.
      env: { MULTIREGION_CI_ROLES: '1', MULTIREGION_ALLOW_UNRELEASED: '1' },
    },
    repoDir,
  );
  if (result.status !== 0) throw new UserError(`synth of ${quoteTag(tag)} failed (exit ${String(result.status)}); see the output above`);
  const stackFile = path.join(outdir, 'stacks', spec.stack, 'cdk.tf.json');
  if (!fs.existsSync(stackFile)) throw new UserError(`synth of ${quoteTag(tag)} wrote no ${stackFile}`);
  const others = fs.readdirSync(path.join(outdir, 'stacks')).filter((s) => s !== spec.stack);
  if (others.length > 0) throw new UserError(`synth of ${quoteTag(tag)} wrote other stacks too (${others.join(', ')}): refusing an ambiguous artifact`);
  const mismatches = backendMismatches(JSON.parse(fs.readFileSync(stackFile, 'utf8')), spec.backend);
  if (mismatches.length > 0) throw new UserError(mismatches.map((m) => `${spec.stack}: ${m}`));
  return path.relative(repoDir, path.dirname(stackFile));
}
