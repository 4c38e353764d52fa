import { Testing, type App } from 'cdktf';
import { assumeRoleFromVariable } from '../../modules/pipeline/assume-role-variable';
import { stackMatrix } from '../../lib/stack-spec';
import { createWorkloadStack } from '../../stacks/workload-stack-factory';
import { exampleOrg, type Json } from './helpers';

describe('assumeRoleFromVariable', () => {
  const org = exampleOrg();
  const spec = stackMatrix(org).find((s) => s.stack === 'research-dev-global')!;

  test('GIVEN a workload stack WHEN switched THEN the provider assumes an ephemeral variable defaulting to the deploy role', () => {
    const app = Testing.app({ stackTraces: false }) as App;
    const stack = createWorkloadStack(app, org, spec);
    assumeRoleFromVariable(stack, spec.roleArn, 'multiregion-dev-research');
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(json.variable.assume_role_arn).toMatchObject({
      type: 'string',
      default: 'arn:aws:iam::555555555555:role/InfraBuildRole',
      nullable: false,
      ephemeral: true,
    });
    // Traceability: the trusted apply step passes <commit>+<tag>; CloudTrail shows it as session name and source identity.
    expect(json.variable.release_id).toMatchObject({ type: 'string', default: 'multiregion-dev-research', ephemeral: true });
    expect(json.provider.aws[0].assume_role).toEqual([
      { role_arn: '${var.assume_role_arn}', session_name: '${var.release_id}', source_identity: '${var.release_id}' },
    ]);
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['555555555555']);
  });

  test('GIVEN no switch THEN the provider keeps the deploy role literally (hand deploys are unchanged)', () => {
    const app = Testing.app({ stackTraces: false }) as App;
    const json = JSON.parse(Testing.synth(createWorkloadStack(app, org, spec))) as Json;
    expect(json.variable).toBeUndefined();
    expect(json.provider.aws[0].assume_role[0].role_arn).toBe('arn:aws:iam::555555555555:role/InfraBuildRole');
  });
});
