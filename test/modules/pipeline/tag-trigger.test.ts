import { parse } from 'yaml';
import { byId, codeCommitTagEvent, eventPatternMatches, exampleOrg, orgWith, synthTooling, type Json } from '../../pipeline/helpers';
import { renderedLiteral } from '../../../lib/terraform-literal';

const org = exampleOrg();
const dev = synthTooling(org, 'tooling-dev');
const REPO_ARN = 'arn:aws:codecommit:us-east-1:111122223333:awsome-infra';
const rule = byId(dev, 'aws_cloudwatch_event_rule', 'tag-trigger_rule');
const pattern = JSON.parse(rule.event_pattern as string) as Record<string, unknown>;
const trigger = byId(dev, 'aws_codebuild_project', 'tag-trigger_build');
const variables = (p: Json): Record<string, string> =>
  Object.fromEntries(((p.environment as Json).environment_variable as Json[]).map((v) => [v.name as string, renderedLiteral(v.value as string)]));

describe('TagTrigger (codecommit)', () => {
  test.each([
    ['dev_us-east-1/research/1.0', true],
    ['dev_global/research/2.1.3', true],
    ['development_x/research/1.0', false],
    ['dev-x_us-east-1/research/1.0', false],
    ['prod_us-east-1/research/1.0', false],
    ['xdev_us-east-1/research/1.0', false],
  ])('the dev rule matches the new tag %s: %s', (tag, expected) => {
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, tag))).toBe(expected);
  });

  test('GIVEN a moved tag (referenceUpdated) THEN no release starts: only new tags release (finding 6)', () => {
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0', 'referenceCreated'))).toBe(true);
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0', 'referenceUpdated'))).toBe(false);
    expect(eventPatternMatches(pattern, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0', 'referenceDeleted'))).toBe(false);
  });

  test('matches tags only, of this repository only', () => {
    const branch = codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0');
    (branch.detail as Json).referenceType = 'branch';
    expect(eventPatternMatches(pattern, branch)).toBe(false);
    expect(eventPatternMatches(pattern, codeCommitTagEvent('arn:aws:codecommit:us-east-1:111122223333:other', 'dev_us-east-1/research/1.0'))).toBe(false);
  });

  test('the trigger build checks out the pushed tag itself: its source version is the tag', () => {
    const target = byId(dev, 'aws_cloudwatch_event_target', 'tag-trigger_target');
    expect(target.arn).toMatch(/aws_codebuild_project\.tag-trigger_build/);
    const event = codeCommitTagEvent(REPO_ARN, 'dev_eu-central-1/risk/1.4');
    // Apply the input transformer as EventBridge does: each placeholder becomes its JSON path's value.
    const paths = target.input_transformer.input_paths as Record<string, string>;
    let body = target.input_transformer.input_template as string;
    for (const [name, jsonPath] of Object.entries(paths)) {
      const value = jsonPath
        .slice(2)
        .split('.')
        .reduce<unknown>((o, k) => (o as Json)[k], event);
      body = body.split(`<${name}>`).join(String(value));
    }
    const startBuild = JSON.parse(body) as Json;
    expect(startBuild.sourceVersion).toBe('dev_eu-central-1/risk/1.4');
    expect(startBuild.environmentVariablesOverride).toEqual(
      expect.arrayContaining([
        { name: 'RELEASE_TAG', value: 'dev_eu-central-1/risk/1.4', type: 'PLAINTEXT' },
        { name: 'RELEASE_COMMIT', value: 'a'.repeat(40), type: 'PLAINTEXT' },
      ]),
    );
    expect(trigger.source).toMatchObject({
      type: 'CODECOMMIT',
      location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/awsome-infra',
      git_clone_depth: 0,
    });
  });

  test('the trigger build is trusted: embedded buildspec without npm or the CLI, the stack table and ledger embedded (finding 2)', () => {
    const spec = parse(renderedLiteral(trigger.source.buildspec as string)) as Json;
    const commands = (spec.phases.build.commands as string[]).join('\n');
    expect(commands).not.toMatch(/\bnpm\b|\bnpx\b|multiregion ci/);
    expect(commands).toMatch(/git rev-list --first-parent "refs\/remotes\/origin\/\$RELEASE_BRANCH" \| grep -qx "\$COMMIT"/);
    expect(variables(trigger)).toMatchObject({ RELEASE_BRANCH: 'main', LEDGER_TABLE: 'awsome-infra-dev-releases' });
    expect(Object.keys(JSON.parse(variables(trigger).RELEASE_TARGETS) as object)).toContain('research-dev-global');
    expect(trigger.concurrent_build_limit).toBe(1);
  });

  test('the pipeline only starts from the trigger build: the S3 source does not poll', () => {
    const pipeline = Object.values(dev.resource.aws_codepipeline as Json)[0] as Json;
    expect((pipeline.stage as Json[])[0].action[0].configuration.PollForSourceChanges).toBe('false');
  });

  describe('regional layout', () => {
    const regional = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional')));
    const json = synthTooling(regional, 'tooling-dev-eu-central-1');

    test('the eu-central-1 trigger ignores global and other regions, and runs in the repository region', () => {
      const regionalRule = byId(json, 'aws_cloudwatch_event_rule', 'tag-trigger_rule');
      expect(regionalRule.region).toBe('us-east-1');
      const p = JSON.parse(regionalRule.event_pattern as string) as Record<string, unknown>;
      expect(eventPatternMatches(p, codeCommitTagEvent(REPO_ARN, 'dev_eu-central-1/research/1.0'))).toBe(true);
      expect(eventPatternMatches(p, codeCommitTagEvent(REPO_ARN, 'dev_global/research/1.0'))).toBe(false);
      expect(eventPatternMatches(p, codeCommitTagEvent(REPO_ARN, 'dev_us-east-1/research/1.0'))).toBe(false);
    });

    test('the trigger build runs in the repository region but uploads and starts the pipeline in its own region', () => {
      const build = byId(json, 'aws_codebuild_project', 'tag-trigger_build');
      expect(build.region).toBe('us-east-1');
      expect(variables(build)).toMatchObject({ PIPELINE_REGION: 'eu-central-1', RELEASE_BRANCH: 'main' });
      expect(Object.keys(JSON.parse(variables(build).RELEASE_TARGETS) as object).sort()).toEqual(['research-dev-eu-central-1', 'risk-dev-eu-central-1']);
    });
  });
});
