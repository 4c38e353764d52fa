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
 * tag at HEAD), or the whole matrix when it is unset. A tag must exist, point at HEAD and
 * find a clean working tree, unless `MULTIREGION_ALLOW_UNRELEASED=1` (experiments; the
 * pipeline's own synth runs on a verified checkout of the tagged commit).
 */
export async function selectStacks(
  org: Organisation,
  deployTag: string | undefined,
  repoDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Selection> {
  assertMatrix(org);
  if (deployTag === undefined || deployTag === '') return { specs: stackMatrix(org) };
  const allowUnreleased = env.MULTIREGION_ALLOW_UNRELEASED === '1';
  if (deployTag !== 'HEAD') {
    // Grammar and config first: a malformed tag never reaches git.
    const parsed = parseReleaseTag(deployTag);
    const spec = stackSpecForTag(org, parsed);
    if (!allowUnreleased) (await import('./tag-checkout')).assertTagIsCheckedOut(repoDir, deployTag);
    return { specs: [spec], tag: deployTag, version: parsed.version };
  }
  const releaseTags = await import('./release-tags');
  const { tag, parsed } = await releaseTags.releaseTagAtHead(repoDir);
  const spec = stackSpecForTag(org, parsed);
  if (!allowUnreleased) (await import('./tag-checkout')).assertTagIsCheckedOut(repoDir, tag);
  return { specs: [spec], tag, version: parsed.version };
}
