import { Testing, type App } from 'cdktf';
import { AccessStack } from '../../stacks/access-stack';
import { accessSpec, byId, exampleOrg, orgWith, synthAccess, type Json } from '../pipeline/helpers';

const org = exampleOrg();
const json = synthAccess(org, 'access-dev-research');
const trust = (id: string): Json => JSON.parse(byId(json, 'aws_iam_role', id).assume_role_policy as string) as Json;

describe('AccessStack', () => {
  test('deploys into the team account through its bootstrap role, and nowhere else', () => {
    const provider = (json.provider.aws as Json[])[0];
    expect(provider.allowed_account_ids).toEqual(['555555555555']);
    expect(provider.assume_role[0].role_arn).toBe('arn:aws:iam::555555555555:role/OrganizationAccountAccessRole');
  });

  test('the deploy role trusts only the dev apply role of the tooling account', () => {
    expect(byId(json, 'aws_iam_role', 'deploy-role').name).toBe('InfraBuildRole');
    expect(trust('deploy-role').Statement).toEqual([
      { Sid: 'TrustOnlyThisEnvironmentsPipelineRoles', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/awsome-infra-dev-apply'] }, Action: 'sts:AssumeRole' },
    ]);
  });

  test('the read-only role trusts only the dev plan role and carries ReadOnlyAccess', () => {
    expect(byId(json, 'aws_iam_role', 'plan-role').name).toBe('InfraBuildRole-ReadOnly');
    expect(trust('plan-role').Statement[0].Principal).toEqual({ AWS: ['arn:aws:iam::111122223333:role/awsome-infra-dev-plan'] });
    expect(byId(json, 'aws_iam_role_policy_attachment', 'plan-read-only').policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  test('a prod access stack never trusts a dev pipeline role', () => {
    const prod = synthAccess(org, 'access-prod-research');
    const text = JSON.stringify(prod.resource.aws_iam_role);
    expect(text).toContain('awsome-infra-prod-apply');
    expect(text).not.toContain('awsome-infra-dev-');
  });

  test('keeps its state in the environment bucket under access/, never a workload stack key', () => {
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'org-awesome-tf-state-dev', key: 'access/dev-research/terraform.tfstate' });
  });

  test('GIVEN administrators in the config THEN they may also assume the deploy role (hand deploys)', () => {
    const withAdmins = orgWith((f) => (f['project.yaml'] += '  administrators: [arn:aws:iam::111122223333:role/PlatformAdmin]\n'));
    const stack = synthAccess(withAdmins, 'access-dev-research');
    const principals = (JSON.parse(byId(stack, 'aws_iam_role', 'deploy-role').assume_role_policy as string) as Json).Statement[0].Principal.AWS as string[];
    expect(principals).toEqual(['arn:aws:iam::111122223333:role/awsome-infra-dev-apply', 'arn:aws:iam::111122223333:role/PlatformAdmin']);
  });

  test('GIVEN no tooling stack deploys the team THEN construction fails naming the stack', () => {
    const spec = { ...accessSpec(org, 'access-dev-research'), applyRoleArns: [] };
    expect(() => new AccessStack(Testing.app() as App, { org, spec })).toThrow(/access-dev-research: no tooling stack deploys team research in dev/);
  });
});
