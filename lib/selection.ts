import type { Organisation } from './config';
import { assertMatrix, stackMatrix, stackSpecForTag, type StackSpec } from './stack-spec';
import { parseReleaseTag } from './tag';

export interface Selection {
  readonly specs: StackSpec[];
  /** The release tag the selection came from, if any. */
  readonly tag?: string;
  readonly version?: string;
}

/**
 * Which stacks a synth builds: the one stack of `DEPLOY_TAG` (a tag, or `HEAD` for the release
 * tag at HEAD), or the whole matrix when it is unset.
 */
export async function selectStacks(org: Organisation, deployTag: string | undefined, repoDir: string): Promise<Selection> {
  assertMatrix(org);
  if (deployTag === undefined || deployTag === '') return { specs: stackMatrix(org) };
  // simple-git is loaded only when git is asked (it is not needed to synthesize a given tag).
  const { tag, parsed } = deployTag === 'HEAD' ? await (await import('./release-tags')).releaseTagAtHead(repoDir) : { tag: deployTag, parsed: parseReleaseTag(deployTag) };
  return { specs: [stackSpecForTag(org, parsed)], tag, version: parsed.version };
}
