import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsManagedPolicyArn, formatArn, iamRoleArn, kmsAliasArn, partitionOfArn, s3Arn } from '../../lib/arn';

const REPO = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

/** A string literal that starts an ARN: `'arn:aws:...'`, `"arn:aws:..."` or `` `arn:${...}` ``. */
const HAND_WRITTEN_ARN = /[`'"]arn:(aws|\$\{)/;

describe('lib/arn', () => {
  test.each([
    ['aws', 'arn:aws:iam::111122223333:role/InfraBuildRole'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::111122223333:role/InfraBuildRole'],
    ['aws-cn', 'arn:aws-cn:iam::111122223333:role/InfraBuildRole'],
  ] as const)('GIVEN partition %s WHEN a role ARN is formatted THEN it names that partition', (partition, expected) => {
    expect(iamRoleArn(partition, '111122223333', 'InfraBuildRole')).toBe(expected);
    expect(partitionOfArn(expected)).toBe(partition);
  });

  test('managed policies, S3 objects and KMS aliases follow the ARN grammar of their service', () => {
    expect(awsManagedPolicyArn('aws-us-gov', 'AdministratorAccess')).toBe('arn:aws-us-gov:iam::aws:policy/AdministratorAccess');
    expect(s3Arn('aws', 'b')).toBe('arn:aws:s3:::b');
    expect(s3Arn('aws', 'b', 'team/key')).toBe('arn:aws:s3:::b/team/key');
    expect(kmsAliasArn('aws', 'us-east-1', '111122223333', 'alias/x-state')).toBe('arn:aws:kms:us-east-1:111122223333:alias/x-state');
    expect(() => kmsAliasArn('aws', 'us-east-1', '111122223333', 'x-state')).toThrow(/must start with alias\//);
    expect(formatArn({ partition: 'aws', service: 'sns', region: 'us-east-1', account: '1', resource: 't' })).toBe('arn:aws:sns:us-east-1:1:t');
    expect(partitionOfArn('not-an-arn')).toBeUndefined();
  });

  test('GIVEN the sources THEN no ARN is written by hand outside lib/arn.ts (the partition would be fixed)', () => {
    const offenders = ['lib', 'stacks', 'modules', 'cli']
      .flatMap(sources)
      .filter((file) => file !== path.join('lib', 'arn.ts'))
      .flatMap((file) =>
        fs
          .readFileSync(path.join(REPO, file), 'utf8')
          .split('\n')
          .map((line, i) => ({ file, line: i + 1, text: line })),
      )
      .filter(({ text }) => HAND_WRITTEN_ARN.test(text))
      .map(({ file, line }) => `${file}:${line}`);
    expect(offenders).toEqual([]);
  });

  test('the hand-written ARN rule does catch one', () => {
    expect(HAND_WRITTEN_ARN.test("policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess'")).toBe(true);
    expect(HAND_WRITTEN_ARN.test('roleArn: `arn:${partition}:iam::1:role/x`')).toBe(true);
    expect(HAND_WRITTEN_ARN.test('// expected arn:aws:iam::<account>:role/<name>')).toBe(false);
  });
});
