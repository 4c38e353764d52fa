import { Testing, TerraformStack, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EncryptionKey } from '../../../modules/pipeline/encryption-key';
import { StageRole } from '../../../modules/pipeline/stage-role';
import type { Json } from '../../pipeline/helpers';

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app({ stackTraces: false }) as App, 'test');
  new AwsProvider(s, 'aws', { region: 'us-east-1' });
  return s;
}
const props = {
  roleName: 'r',
  description: 'd',
  service: 'codebuild.amazonaws.com',
  account: '111122223333',
  sourceArn: 'arn:aws:codebuild:us-east-1:111122223333:project/p',
};

describe('StageRole', () => {
  test('GIVEN grants WHEN synthesized THEN the role has exactly those statements in one inline policy, trusted by one service for one resource', () => {
    const s = stack();
    new StageRole(s, 'plan', props)
      .grant({ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] })
      .grant([{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] }]);
    const json = JSON.parse(Testing.synth(s)) as Json;
    const policy = JSON.parse((Object.values(json.resource.aws_iam_role_policy as Json)[0] as Json).policy as string) as Json;
    expect(policy.Statement).toEqual([{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] }]);
    const trust = JSON.parse((Object.values(json.resource.aws_iam_role as Json)[0] as Json).assume_role_policy as string) as Json;
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': props.sourceArn } });
  });

  test('GIVEN two different statements under one Sid THEN synthesis fails naming the role', () => {
    const s = stack();
    new StageRole(s, 'plan', props)
      .grant({ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] })
      .grant({ Sid: 'A', Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b/k'] });
    expect(() => Testing.synth(s)).toThrow(/test\/plan: two different statements named A/);
  });

  test('GIVEN no grant THEN validation reports a role without any grant', () => {
    const s = stack();
    new StageRole(s, 'idle', props);
    expect(s.node.validate()).toEqual([]);
    expect(s.node.findAll().flatMap((c) => c.node.validate())).toEqual(['test/idle: a stage role without any grant']);
  });
});

describe('EncryptionKey laterReaders', () => {
  const base = { description: 'k', alias: 'alias/k', administrators: ['arn:aws:iam::111122223333:role/A', 'arn:aws:iam::111122223333:role/B'], users: [] };

  test('GIVEN roles of other stacks THEN they may only decrypt, by an aws:PrincipalArn condition bound to the account', () => {
    const s = stack();
    new EncryptionKey(s, 'key', { ...base, laterReaders: ['arn:aws:iam::111122223333:role/other-plan'], account: '111122223333' });
    const json = JSON.parse(Testing.synth(s)) as Json;
    const policy = JSON.parse((Object.values(json.resource.aws_kms_key as Json)[0] as Json).policy as string) as Json;
    expect((policy.Statement as Json[]).find((x) => x.Sid === 'DecryptOnlyForRolesOfOtherStacks')).toEqual({
      Sid: 'DecryptOnlyForRolesOfOtherStacks',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' }, ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/other-plan'] } },
    });
  });

  test('GIVEN laterReaders without the account THEN construction fails: the grant would not be bound', () => {
    expect(() => new EncryptionKey(stack(), 'key', { ...base, laterReaders: ['arn:aws:iam::111122223333:role/other-plan'] })).toThrow(
      /laterReaders needs account/,
    );
  });
});
