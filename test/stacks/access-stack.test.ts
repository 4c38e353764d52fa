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

  test('the deploy role trusts only the dev apply role of the tooling account and the named administrators', () => {
    expect(byId(json, 'aws_iam_role', 'deploy-role').name).toBe('InfraBuildRole');
    expect(trust('deploy-role').Statement).toEqual([
      {
        Sid: 'TrustOnlyThisEnvironmentsPipelineRoles',
        Effect: 'Allow',
        Principal: {
          AWS: [
            'arn:aws:iam::111122223333:role/awsome-infra-dev-apply',
            'arn:aws:iam::111122223333:role/PlatformAdmin',
            'arn:aws:iam::111122223333:role/BreakGlassAdmin',
          ],
        },
        // Traceability (finding 8): the release's commit and tag arrive as the source identity.
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      },
    ]);
  });

  test('the deploy role is bounded: it cannot edit its own trust, the view-only role or the org access role, nor create users or keys (finding 7)', () => {
    const role = byId(json, 'aws_iam_role', 'deploy-role');
    expect(role.permissions_boundary).toMatch(/aws_iam_policy\.deploy-boundary/);
    const boundary = JSON.parse(byId(json, 'aws_iam_policy', 'deploy-boundary').policy as string) as { Statement: Json[] };
    const roles = boundary.Statement.find((s) => s.Sid === 'DenyChangingPipelineAndAccessRoles') as Json;
    expect(roles.Effect).toBe('Deny');
    expect(roles.Action).toEqual(expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:AttachRolePolicy']));
    expect(roles.Resource).toEqual([
      'arn:aws:iam::555555555555:role/InfraBuildRole',
      'arn:aws:iam::555555555555:role/InfraBuildRole-ReadOnly',
      'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole',
    ]);
    expect((boundary.Statement.find((s) => s.Sid === 'DenyChangingThisBoundary') as Json).Resource).toEqual([
      'arn:aws:iam::555555555555:policy/InfraBuildRole-boundary',
    ]);
    expect((boundary.Statement.find((s) => s.Sid === 'DenyLongLivedCredentials') as Json).Action).toEqual(
      expect.arrayContaining(['iam:CreateUser', 'iam:CreateAccessKey']),
    );
  });

  test('the deploy policy default follows the partition (finding 7)', () => {
    expect(byId(json, 'aws_iam_role_policy_attachment', 'deploy-policy-0').policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    const gov = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace(/us-east-1/g, 'us-gov-west-1').replace(/arn:aws:/g, 'arn:aws-us-gov:')));
    const govJson = synthAccess(gov, 'access-dev-research');
    expect(byId(govJson, 'aws_iam_role_policy_attachment', 'deploy-policy-0').policy_arn).toBe('arn:aws-us-gov:iam::aws:policy/AdministratorAccess');
    expect(byId(govJson, 'aws_iam_role_policy_attachment', 'plan-view-only').policy_arn).toBe('arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess');
  });

  test('the view-only role trusts only the dev plan and drift roles and carries ViewOnlyAccess, never ReadOnlyAccess (finding 4)', () => {
    expect(byId(json, 'aws_iam_role', 'plan-role').name).toBe('InfraBuildRole-ReadOnly');
    expect(trust('plan-role').Statement[0].Principal).toEqual({
      AWS: ['arn:aws:iam::111122223333:role/awsome-infra-dev-plan', 'arn:aws:iam::111122223333:role/awsome-infra-dev-drift'],
    });
    expect(byId(json, 'aws_iam_role_policy_attachment', 'plan-view-only').policy_arn).toBe('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
    expect(JSON.stringify(json.resource.aws_iam_role_policy_attachment)).not.toContain('ReadOnlyAccess');
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

  test('GIVEN no tooling stack deploys the team THEN construction fails naming the stack', () => {
    const spec = { ...accessSpec(org, 'access-dev-research'), applyRoleArns: [] };
    expect(() => new AccessStack(Testing.app() as App, { org, spec })).toThrow(/access-dev-research: no tooling stack deploys team research in dev/);
  });
});
