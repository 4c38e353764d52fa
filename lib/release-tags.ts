import { simpleGit } from 'simple-git';
import { UserError } from './errors';
import { compareVersions, parseReleaseTag, tryParseReleaseTag, type ReleaseTag } from './tag';

/** The release tags (by grammar) that point at a commit, and the other tags found there. */
export async function releaseTagsAt(repoDir: string, rev: string): Promise<{ release: string[]; other: string[] }> {
  const git = simpleGit({ baseDir: repoDir });
  let output: string;
  try {
    output = await git.raw(['tag', '--points-at', rev]);
  } catch (error) {
    throw new UserError(`DEPLOY_TAG=${rev}: cannot read tags at ${rev} in ${repoDir}: ${(error as Error).message.split('\n')[0]}`);
  }
  const names = output.split('\n').map((l) => l.trim()).filter((l) => l !== '').sort();
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
    throw new UserError(`DEPLOY_TAG=HEAD: release tags of ${targets.size} stacks point at HEAD (${release.join(', ')}); set DEPLOY_TAG to the one to synthesize, e.g. DEPLOY_TAG=${release[0]}`);
  }
  parsed.sort((a, b) => compareVersions(a.parsed.version, b.parsed.version));
  return parsed[parsed.length - 1];
}

/** `MULTIREGION_ALLOW_UNRELEASED=1`: synthesize the working tree under a tag's name (experiments). */
export const ALLOW_UNRELEASED_VARIABLE = 'MULTIREGION_ALLOW_UNRELEASED';

/**
 * Refuses to synthesize a release from anything but its own code: the tag must exist in the
 * repository at `repoDir`, point at HEAD, and the working tree must be clean (tracked and
 * untracked files; ignored ones such as cdktf.out/ do not count). Otherwise a synth would
 * stamp `Version = <tag's version>` on code that is not that version.
 */
export async function assertTagIsCheckedOut(repoDir: string, tag: string): Promise<void> {
  const git = simpleGit({ baseDir: repoDir });
  const override = `, or set ${ALLOW_UNRELEASED_VARIABLE}=1 to synthesize the working tree under that name for an experiment`;
  let head: string;
  try {
    head = (await git.raw(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).trim();
  } catch {
    throw new UserError(`DEPLOY_TAG=${tag}: ${repoDir} is not a git repository with a commit, so the tag's code cannot be checked: run synth in the repository that holds the tag${override}`);
  }
  let tagged = '';
  try {
    tagged = (await git.raw(['rev-parse', '--verify', '-q', `refs/tags/${tag}^{commit}`])).trim();
  } catch {
    tagged = '';
  }
  if (tagged === '') {
    throw new UserError(`DEPLOY_TAG=${tag}: no such tag in ${repoDir}: create it on the commit to release (npx multiregion tag create ...) or fetch it (git fetch --tags)${override}`);
  }
  if (tagged !== head) {
    throw new UserError(`DEPLOY_TAG=${tag}: the tag points at ${tagged.slice(0, 12)} but HEAD is ${head.slice(0, 12)}: check it out first (git checkout ${tag})${override}`);
  }
  const changed = (await git.raw(['status', '--porcelain', '--untracked-files=normal'])).split('\n').filter((line) => line.trim() !== '');
  if (changed.length > 0) {
    const first = changed[0].slice(3);
    throw new UserError(`DEPLOY_TAG=${tag}: the working tree has ${changed.length} uncommitted change${changed.length === 1 ? '' : 's'} (${first}${changed.length > 1 ? ', ...' : ''}), so it is not the tagged code: commit or stash them${override}`);
  }
}
