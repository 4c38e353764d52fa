import { UserError } from './errors';
import { GitCommandError, GitRepository } from './git/repository';
import { compareVersions, parseReleaseTag, tryParseReleaseTag, type ReleaseTag } from './tag';

/** The release tags (by grammar) that point at a commit, and the other tags found there. */
export async function releaseTagsAt(repoDir: string, rev: string): Promise<{ release: string[]; other: string[] }> {
  let names: string[];
  try {
    names = await new GitRepository(repoDir).tagsAt(rev);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    throw new UserError(`DEPLOY_TAG=${rev}: cannot read tags at ${rev} in ${repoDir}: ${error.reason}`);
  }
  return {
    release: names.filter((n) => tryParseReleaseTag(n) !== undefined),
    other: names.filter((n) => tryParseReleaseTag(n) === undefined),
  };
}

/**
 * The one release tag at HEAD. Several tags of the same stack (1.0 and 1.0.1 on one commit) are
 * fine: the highest version wins. Tags of different stacks are ambiguous and an error.
 */
export async function releaseTagAtHead(repoDir: string): Promise<{ tag: string; parsed: ReleaseTag }> {
  const { release, other } = await releaseTagsAt(repoDir, 'HEAD');
  if (release.length === 0) {
    const ignored = other.length > 0 ? ` (ignored tags that are not release tags: ${other.join(', ')})` : '';
    throw new UserError(`DEPLOY_TAG=HEAD: no release tag points at HEAD${ignored}; expected one such as dev_us-east-1/research/1.0`);
  }
  const parsed = release.map((tag) => ({ tag, parsed: parseReleaseTag(tag) }));
  const targets = new Set(parsed.map((p) => `${p.parsed.environment}_${p.parsed.scope}/${p.parsed.team}`));
  if (targets.size > 1) {
    // A release of several stacks (multiregion release --global --regions ...) tags one commit
    // many times; each stack is synthesized and deployed on its own, so name the one.
    throw new UserError(
      `DEPLOY_TAG=HEAD: release tags of ${targets.size} stacks point at HEAD (${release.join(', ')}); set DEPLOY_TAG to the one to synthesize, e.g. DEPLOY_TAG=${release[0]}`,
    );
  }
  parsed.sort((a, b) => compareVersions(a.parsed.version, b.parsed.version));
  return parsed[parsed.length - 1];
}
