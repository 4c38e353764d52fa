import { iamRoleArn } from '../arn';
import type { Organisation } from '../config';
import { TagError, UserError } from '../errors';
import { stackSpecForTag, type StackSpec } from '../stack-spec';
import { formatReleaseTag, parseReleaseTag, quoteTag } from '../tag';

/** The name of the role plan and drift builds assume in a team's account (project.yaml's pipeline section). */
export function planRoleName(org: Organisation): string {
  const pipeline = org.project.pipeline;
  if (pipeline === undefined) throw new UserError(`${org.dir}/project.yaml has no pipeline section`);
  return pipeline.planRoleName;
}

/** What the source step writes next to the code: which tag, which commit, when. */
export interface ReleaseManifest {
  readonly tag: string;
  readonly commit: string;
  readonly createdAt: string;
}

/** The pipeline a build runs in, from the CodeBuild project's environment. */
export interface PipelineContext {
  readonly environment: string;
  /** Tag scopes the pipeline deploys (`global` and/or regions); undefined means all of the environment. */
  readonly scopes?: readonly string[];
}

export interface ReleaseInput {
  /** The tag as the trigger saw it; `refs/tags/` is accepted. */
  readonly tag: string | undefined;
  /** The commit the trigger says the tag points at. */
  readonly commit?: string;
  /** The commit CodeBuild checked out (CODEBUILD_RESOLVED_SOURCE_VERSION). */
  readonly resolvedCommit?: string;
  /** The manifest inside the source artifact, when the source is the S3 bucket. */
  readonly manifest?: ReleaseManifest;
}

/** The exported variables of the Validate stage (namespace `Release`). */
export interface ReleaseVariables {
  readonly TAG: string;
  readonly ENVIRONMENT: string;
  readonly SCOPE: string;
  readonly TEAM: string;
  readonly VERSION: string;
  readonly STACK: string;
  readonly STACK_DIR: string;
  readonly TARGET_REGION: string;
  readonly TARGET_ACCOUNT: string;
  readonly COMMIT: string;
  readonly DEPLOY_ROLE_ARN: string;
  readonly PLAN_ROLE_ARN: string;
}

const COMMIT = /^[0-9a-f]{40}$/;

export function parseManifest(text: string, file: string): ReleaseManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected {"tag", "commit", "createdAt"} written by the trusted trigger or release check)`);
  }
  const m = data as Partial<ReleaseManifest>;
  if (typeof m.tag !== 'string' || typeof m.commit !== 'string' || typeof m.createdAt !== 'string') {
    throw new UserError(`${file}: expected string fields tag, commit and createdAt`);
  }
  return { tag: m.tag, commit: m.commit, createdAt: m.createdAt };
}

function checkCommit(value: string | undefined, what: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!COMMIT.test(value)) throw new UserError(`${what} '${value.slice(0, 60)}' is not a full commit id (40 hex digits)`);
  return value;
}

/**
 * Validates the release an execution is about to deploy and returns the variables later stages
 * use. Fails closed: no tag (a manual "Release change" would run the branch tip), a tag of another
 * environment or scope, a manifest that disagrees with the trigger, or a commit other than the
 * tagged one.
 */
export function resolveRelease(org: Organisation, pipeline: PipelineContext, input: ReleaseInput, planRoleName: string): ReleaseVariables {
  const given = input.tag?.trim() ?? '';
  if (given === '') {
    throw new UserError(
      'no release tag: this execution was not started by pushing a release tag (RELEASE_TAG is empty); push a tag such as dev_us-east-1/research/1.0 instead of releasing the branch',
    );
  }
  const parsed = parseReleaseTag(given);
  const tag = formatReleaseTag(parsed);
  if (parsed.environment !== pipeline.environment) {
    throw new TagError(
      `release tag ${quoteTag(tag)} is for environment '${parsed.environment}', this is the '${pipeline.environment}' pipeline: refusing to deploy it here`,
    );
  }
  if (pipeline.scopes !== undefined && !pipeline.scopes.includes(parsed.scope)) {
    throw new TagError(`release tag ${quoteTag(tag)} targets '${parsed.scope}', this pipeline deploys ${pipeline.scopes.join(', ')}`);
  }
  const spec: StackSpec = stackSpecForTag(org, parsed);
  const triggerCommit = checkCommit(input.commit, 'trigger commit');
  const resolved = checkCommit(input.resolvedCommit, 'checked-out commit');
  if (input.manifest !== undefined) {
    const manifestTag = formatReleaseTag(parseReleaseTag(input.manifest.tag));
    if (manifestTag !== tag) {
      throw new UserError(`the source artifact was made for ${quoteTag(manifestTag)}, the execution is for ${quoteTag(tag)}: refusing a mismatched source`);
    }
    checkCommit(input.manifest.commit, 'manifest commit');
  }
  const commits = [triggerCommit, resolved, input.manifest?.commit].filter((c): c is string => c !== undefined && c !== '');
  if (new Set(commits).size > 1) {
    throw new UserError(
      `release tag ${quoteTag(tag)}: the trigger, the checkout and the manifest name different commits (${[...new Set(commits)].map((c) => c.slice(0, 12)).join(', ')}); was the tag moved? Release a new version instead`,
    );
  }
  if (commits.length === 0)
    throw new UserError(`release tag ${quoteTag(tag)}: no commit id (expected the trigger's commit or CODEBUILD_RESOLVED_SOURCE_VERSION)`);
  return {
    TAG: tag,
    ENVIRONMENT: spec.environment,
    SCOPE: parsed.scope,
    TEAM: spec.team,
    VERSION: parsed.version,
    STACK: spec.stack,
    STACK_DIR: `cdktf.out/stacks/${spec.stack}`,
    TARGET_REGION: spec.region,
    TARGET_ACCOUNT: spec.account,
    COMMIT: commits[0],
    DEPLOY_ROLE_ARN: spec.roleArn,
    PLAN_ROLE_ARN: iamRoleArn(spec.partition, spec.account, planRoleName),
  };
}
