import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { Guardrails } from '../../guardrails/suppressions';
import { GuardrailError } from '../../guardrails/stack-guardrails';
import { UserError } from '../../lib/errors';
import { InstanceRequirements, gib } from '../../modules/compute/instance-requirements';
import { AbsAutoScalingGroup } from '../../modules/compute/abs-auto-scaling-group';
import { MachineImage } from '../../modules/compute/machine-image';
import { Placement } from '../../modules/compute/placement';
import { assertGuardrails, GuardedStack } from '../../stacks/guarded-stack';
import { launchTemplate } from '../modules/compute/helpers';
import { CONTEXT } from './fixtures';

/** A guarded stack with a compliant provider and backend, and whatever `build` adds. */
class ProbeStack extends GuardedStack {
  constructor(
    scope: Construct,
    id: string,
    build: (stack: TerraformStack) => void,
    configSuppressions: { rule: string; reason: string; stack?: string; source: string }[] = [],
  ) {
    super(scope, id, { ...CONTEXT, stack: id }, configSuppressions);
    new AwsProvider(this, 'aws', { region: 'us-east-1', allowedAccountIds: [CONTEXT.account] });
    this.addOverride('terraform.backend', {
      s3: { bucket: 'b', key: 'k', region: 'us-east-1', encrypt: true, kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/1' },
    });
    build(this);
  }
}

const app = (): App => new App({ stackTraces: false, outdir: '/tmp/multiregion-guardrail-test', skipValidation: true });
const bareBucket = (scope: Construct, id = 'logs'): S3Bucket => new S3Bucket(scope, id, { bucket: `bare-${id}` });

describe('the guardrail engine on a guarded stack', () => {
  test('GIVEN a bare bucket WHEN evaluated THEN each S3 rule reports it with its address and construct path', () => {
    const stack = new ProbeStack(app(), 'probe', (s) => bareBucket(s));
    const rules = stack.guardrails.report().findings.map((f) => [f.rule, f.address, f.path]);
    expect(rules).toEqual([
      ['MR-S3-1', 'aws_s3_bucket.logs', 'probe/logs'],
      ['MR-S3-2', 'aws_s3_bucket.logs', 'probe/logs'],
      ['MR-S3-3', 'aws_s3_bucket.logs', 'probe/logs'],
      ['MR-S3-4', 'aws_s3_bucket.logs', 'probe/logs'],
      ['MR-S3-5', 'aws_s3_bucket.logs', 'probe/logs'],
    ]);
  });

  test('GIVEN versioning set only in a dynamic block WHEN evaluated THEN MR-S3-1 is a warning, which does not fail the stack', () => {
    const stack = new ProbeStack(app(), 'probe', (s) => {
      const bucket = bareBucket(s);
      bucket.addOverride('dynamic.versioning', { for_each: '${var.versioned}', content: { enabled: true } });
    });
    const versioning = stack.guardrails.report().findings.filter((f) => f.rule === 'MR-S3-1');
    expect(versioning).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('only in a dynamic block') })]);
  });

  test('GIVEN a suppression with a reason on a parent construct WHEN evaluated THEN that rule is silenced below it, recorded with the reason in the stack metadata', () => {
    const stack = new ProbeStack(app(), 'probe', (s) => {
      const logging = new Construct(s, 'logging');
      bareBucket(logging);
      Guardrails.suppress(logging, 'MR-S3-2', 'ALB access logs only accept SSE-S3');
    });
    const report = stack.guardrails.report();
    expect(report.findings.map((f) => f.rule)).not.toContain('MR-S3-2');
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        rule: 'MR-S3-2',
        address: expect.stringMatching(/^aws_s3_bucket\.logging_logs/),
        reason: 'ALB access logs only accept SSE-S3',
        suppressedBy: 'construct probe/logging',
      }),
    ]);
    const json = stack.toTerraform() as { '//': { guardrails: { suppressed: unknown[] } } };
    expect(json['//'].guardrails.suppressed).toEqual([
      expect.objectContaining({
        rule: 'MR-S3-2',
        path: 'probe/logging/logs',
        reason: 'ALB access logs only accept SSE-S3',
        suppressedBy: 'construct probe/logging',
      }),
    ]);
  });

  test('GIVEN a suppression on a sibling WHEN evaluated THEN it does not reach other constructs', () => {
    const stack = new ProbeStack(app(), 'probe', (s) => {
      bareBucket(s, 'a');
      const b = bareBucket(s, 'b');
      Guardrails.suppress(b, 'MR-S3-1', 'scratch bucket');
    });
    const versioning = stack.guardrails.report().findings.filter((f) => f.rule === 'MR-S3-1');
    expect(versioning.map((f) => f.path)).toEqual(['probe/a']);
  });

  test.each([
    ['MR-NOPE-1', 'because', "cannot suppress unknown guardrail rule 'MR-NOPE-1'"],
    ['MR-S3-1', '   ', 'suppressing MR-S3-1 needs a reason'],
  ])('GIVEN suppress(%j, %j) WHEN called THEN it is a one-line user error naming the construct', (rule, reason, message) => {
    const stack = new TerraformStack(app(), 'plain');
    const error = (() => {
      try {
        Guardrails.suppress(stack, rule, reason);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `plain: ${message}${rule === 'MR-NOPE-1' ? ' (npx multiregion rules lists them)' : ': say why the rule does not apply here'}`,
    );
  });

  test('GIVEN a config suppression for one stack WHEN evaluated THEN only that stack is silenced, and the source is named', () => {
    const root = app();
    const suppression = { rule: 'MR-S3-4', reason: 'policy managed by the data team', stack: 'one', source: 'environments/dev.yaml:7' };
    const one = new ProbeStack(root, 'one', (s) => bareBucket(s), [suppression]);
    const two = new ProbeStack(root, 'two', (s) => bareBucket(s), [suppression]);
    expect(one.guardrails.report().suppressed).toEqual([expect.objectContaining({ rule: 'MR-S3-4', suppressedBy: 'environments/dev.yaml:7' })]);
    expect(two.guardrails.report().findings.map((f) => f.rule)).toContain('MR-S3-4');
  });

  test('GIVEN an ABS group without a vCPU maximum WHEN evaluated THEN the construct-reported warning is a finding under MR-ABS-1, and suppressible', () => {
    const build = (suppress: boolean) => (s: TerraformStack) => {
      const group = new AbsAutoScalingGroup(s, 'web', {
        launchTemplate: launchTemplate(s, { images: { x86_64: MachineImage.fromId('ami-x') } }),
        placement: Placement.subnets(['subnet-a', 'subnet-b']),
        requirements: InstanceRequirements.of({ vcpus: { min: 2 }, memoryMib: { min: gib(4), max: gib(16) }, acceleratorCount: { max: 0 } }),
      });
      if (suppress) Guardrails.suppress(group, 'MR-ABS-1', 'batch jobs size themselves');
    };
    const open = new ProbeStack(app(), 'probe', build(false)).guardrails.report();
    expect(open.findings.filter((f) => f.rule.startsWith('MR-ABS'))).toEqual([
      expect.objectContaining({ rule: 'MR-ABS-1', severity: 'warning', address: 'probe/web', message: expect.stringContaining('vcpus has no max') }),
    ]);
    expect(new ProbeStack(app(), 'probe', build(true)).guardrails.report().findings.filter((f) => f.rule === 'MR-ABS-1')).toEqual([]);
  });

  test('GIVEN two stacks with error findings WHEN asserted before synth THEN one GuardrailError lists every finding of both, one line each', () => {
    const root = app();
    new ProbeStack(root, 'one', (s) => bareBucket(s));
    new ProbeStack(root, 'two', (s) => bareBucket(s));
    let error: unknown;
    try {
      assertGuardrails(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailError);
    const lines = (error as GuardrailError).problems;
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      "one: MR-S3-1 aws_s3_bucket.logs (one/logs): bucket 'bare-logs' has no versioning; fix: add an aws_s3_bucket_versioning with status 'Enabled' (the modules' SecureBucket does)",
    );
    expect(lines.some((l) => l.startsWith('two: MR-S3-5'))).toBe(true);
  });

  test('GIVEN an error finding WHEN the app synthesizes THEN synth fails with the GuardrailError before writing the stack', () => {
    const root = new App({ stackTraces: false, outdir: `/tmp/multiregion-guardrail-synth-${process.pid}` });
    new ProbeStack(root, 'probe', (s) => bareBucket(s));
    expect(() => root.synth()).toThrow(GuardrailError);
  });

  test('GIVEN the same stack built twice WHEN evaluated THEN the findings are identical (deterministic order)', () => {
    const build = (s: TerraformStack) => {
      bareBucket(s, 'z');
      bareBucket(s, 'a');
    };
    expect(new ProbeStack(app(), 'p', build).guardrails.report()).toEqual(new ProbeStack(app(), 'p', build).guardrails.report());
  });
});
