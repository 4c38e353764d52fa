import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { backendConfigFile, backendMismatches } from '../../../lib/ci/backend-config';
import { sha256File, verifySha256 } from '../../../lib/ci/checksum';
import { acceptedChecksReport, checkovConfig } from '../../../lib/ci/checkov';
import { driftReport, driftStatusFromExitCode, driftTargets, parseAppliedReleases } from '../../../lib/ci/drift';
import { formatEnvFile, parseEnvFile, shellQuote } from '../../../lib/ci/env-file';
import { stackMatrix } from '../../../lib/stack-spec';
import { exampleOrg } from '../../pipeline/helpers';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-ci-'));

describe('env files', () => {
  test('round-trip values with quotes, and the shell reads them back literally', () => {
    const values = { TAG: 'dev_us-east-1/research/1.0', HEADLINE: `it's $(rm -rf /) \`x\` "y"` };
    const text = formatEnvFile(values);
    expect(parseEnvFile(text)).toEqual(values);
    const file = path.join(tmp(), 'x.env');
    fs.writeFileSync(file, text);
    const out = spawnSync('bash', ['-c', `. "${file}" && printf '%s' "$HEADLINE"`], { encoding: 'utf8' });
    expect(out.stdout).toBe(values.HEADLINE);
  });

  test('refuse line breaks and invalid names', () => {
    expect(() => formatEnvFile({ A: 'x\ny' })).toThrow(/line break/);
    expect(() => formatEnvFile({ 'a-b': 'x' })).toThrow(/invalid variable name/);
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});

describe('plan checksum', () => {
  test('GIVEN the approved plan THEN it verifies; GIVEN one changed byte THEN it refuses', () => {
    const file = path.join(tmp(), 'tfplan');
    fs.writeFileSync(file, 'plan bytes');
    const sum = sha256File(file);
    expect(verifySha256(file, sum.toUpperCase(), 'approved plan')).toBe(sum);
    fs.writeFileSync(file, 'plan byteS');
    expect(() => verifySha256(file, sum, 'approved plan')).toThrow(/is not the file that was approved/);
    expect(() => verifySha256(file, '#{Plan.PLAN_SHA256}', 'approved plan')).toThrow(/is not a sha256/);
    expect(() => verifySha256(`${file}.missing`, sum, 'approved plan')).toThrow(/does not exist/);
  });
});

describe('backend config', () => {
  const spec = stackMatrix(exampleOrg()).find((s) => s.stack === 'research-dev-us-east-1')!;
  test('is derived from the tag: bucket, key, region, locking', () => {
    expect(backendConfigFile(spec.backend)).toBe(
      'bucket = "org-awesome-tf-state-dev"\nkey = "research/dev-us-east-1/terraform.tfstate"\nregion = "us-east-1"\nencrypt = true\nkms_key_id = "arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state"\nuse_lockfile = true\n',
    );
    expect(backendConfigFile({ ...spec.backend, useLockfile: false, dynamodbTable: 'lock' })).toContain('dynamodb_table = "lock"');
  });
  test('GIVEN a synthesized stack whose backend was changed THEN the mismatch is reported', () => {
    const good = {
      terraform: {
        backend: {
          s3: { bucket: spec.backend.bucket, key: spec.backend.key, region: 'us-east-1', encrypt: true, kms_key_id: spec.backend.kmsKeyId, use_lockfile: true },
        },
      },
    };
    expect(backendMismatches(good, spec.backend)).toEqual([]);
    const bad = { terraform: { backend: { s3: { ...good.terraform.backend.s3, key: 'risk/dev-us-east-1/terraform.tfstate' } } } };
    expect(backendMismatches(bad, spec.backend)).toEqual([
      'backend key is "risk/dev-us-east-1/terraform.tfstate", the tag implies "research/dev-us-east-1/terraform.tfstate"',
    ]);
    // Threat: a commit drops kms_key_id, so state is written with SSE-S3.
    const sseS3 = { terraform: { backend: { s3: { ...good.terraform.backend.s3, kms_key_id: undefined } } } };
    expect(backendMismatches(sseS3, spec.backend)).toEqual([`backend kms_key_id is undefined, the tag implies "${spec.backend.kmsKeyId}"`]);
    expect(backendMismatches({}, spec.backend)).toEqual(['the synthesized stack has no S3 backend']);
  });
});

describe('checkov config', () => {
  test('skips only the accepted checks and never soft-fails', () => {
    const text = checkovConfig([{ id: 'CKV_AWS_91', reason: 'dev has no access logs' }], 'terraform_json');
    expect(text).toContain('soft-fail: false');
    expect(text).toContain('skip-check:\n  - CKV_AWS_91\n');
    expect(checkovConfig([], 'terraform_plan')).not.toContain('skip-check');
    expect(acceptedChecksReport('dev', [{ id: 'CKV_AWS_91', reason: 'why' }])).toBe('dev: accepted CKV_AWS_91: why\n');
  });
});

describe('drift', () => {
  const specs = stackMatrix(exampleOrg()).filter((s) => s.environment === 'dev' && s.team === 'research');
  const c1 = 'a'.repeat(40);
  const c2 = 'b'.repeat(40);
  test('GIVEN the applied releases of the ledger THEN each stack plans its own; stacks never applied are reported as such', () => {
    const applied = parseAppliedReleases(
      `research-dev-global dev_global/research/1.10 ${c1}\nresearch-dev-us-east-1 dev_us-east-1/research/2.0 ${c2}\n`,
      'releases.txt',
    );
    const targets = driftTargets(specs, applied);
    expect(targets.map((t) => [t.stack.stack, t.release?.tag, t.release?.commit])).toEqual([
      ['research-dev-global', 'dev_global/research/1.10', c1],
      ['research-dev-us-east-1', 'dev_us-east-1/research/2.0', c2],
      ['research-dev-eu-central-1', undefined, undefined],
      ['research-dev-ap-southeast-1', undefined, undefined],
    ]);
  });
  test.each([
    ['a line that is not <stack> <tag> <commit>', 'junk', /releases.txt:1: expected/],
    ['a short commit', 'research-dev-global dev_global/research/1.0 abc', /expected/],
    ['a tag of another stack', `research-dev-global dev_us-east-1/research/1.0 ${'a'.repeat(40)}`, /is not a release of research-dev-global/],
    ['a tag with shell characters', `research-dev-global dev_global/research/1.0;rm ${'a'.repeat(40)}`, /expected/],
  ])('GIVEN %s in the release list THEN it is refused, never guessed at', (_what, text, message) => {
    expect(() => parseAppliedReleases(text, 'releases.txt')).toThrow(message);
  });
  test('reads terraform -detailed-exitcode and reports only when something needs attention', () => {
    expect([0, 2, 1, null].map(driftStatusFromExitCode)).toEqual(['in-sync', 'drifted', 'error', 'error']);
    expect(driftReport('dev', [{ stack: 'a', tag: 't', status: 'in-sync' }]).attention).toBe(false);
    const report = driftReport('dev', [
      { stack: 'a', tag: 't', status: 'drifted' },
      { stack: 'b', tag: undefined, status: 'never-released' },
    ]);
    expect(report.attention).toBe(true);
    expect(report.subject).toBe('[dev] drift: 1 drifted, 0 failed, 2 stacks');
  });
});
