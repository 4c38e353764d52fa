import { cli } from '../support/run';

describe('multiregion abs preview (ad hoc)', () => {
  test('GIVEN the seed article requirement WHEN previewed with --json THEN count, sorted types and price protection are reported', () => {
    const result = cli([
      'abs',
      'preview',
      '--vcpus',
      '8:',
      '--memory-gib',
      '64:',
      '--memory-gib-per-vcpu',
      '8:8',
      '--region',
      'us-east-1',
      '--arch',
      'x86_64',
      '--json',
    ]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.priceProtectionApplied).toBe(true);
    expect(json.count).toBe(json.types.length);
    expect(json.types).toEqual([...json.types].sort((a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })));
    expect(json.types).toContain('r6a.2xlarge');
    expect(json.types).not.toContain('r6g.2xlarge');
  });

  test('GIVEN a region without prices WHEN previewed THEN price protection is reported as not applied', () => {
    const json = JSON.parse(cli(['abs', 'preview', '--vcpus', '2:4', '--memory-gib', '4:16', '--region', 'eu-central-1', '--json']).stdout);
    expect(json.priceProtectionApplied).toBe(false);
    expect(json.notes.join('\n')).toContain('no On-Demand prices for eu-central-1');
  });

  test('GIVEN human output WHEN previewed THEN types are grouped by family and the catalogue age is shown', () => {
    const result = cli(['abs', 'preview', '--vcpus', '2:2', '--memory-gib', '8:8', '--allowed-types', 'm7i*,m7g*', '--region', 'us-east-1']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^catalogue: \d+ instance types, data of \d{4}-\d{2}-\d{2} \(\d+ days old\)$/m);
    expect(result.stdout).toMatch(/^ {4}m7g\s+large\b/m);
    // Few types is a Spot concern (capacity pools); an On-Demand preview does not warn.
    expect(result.stdout).not.toContain('for Spot');
    // A stale-catalogue warning goes to stderr: stdout is the preview alone.
    expect(result.stdout).not.toContain('warning:');
  });

  test('GIVEN --spot and few matching types WHEN previewed THEN it warns about Spot diversity', () => {
    const result = cli(['abs', 'preview', '--vcpus', '2:2', '--memory-gib', '8:8', '--allowed-types', 'm7i*,m7g*', '--region', 'us-east-1', '--spot']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/warning: only \d type\(s\) match; AWS advises at least 10 for Spot/);
  });

  test('GIVEN --memory-gib-per-vcpu without --memory-gib WHEN previewed THEN memory starts at 0, as AWS allows', () => {
    const result = cli(['abs', 'preview', '--vcpus', '2:2', '--memory-gib-per-vcpu', '8:8', '--json']);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as { types: string[] };
    expect(json.types.length).toBeGreaterThan(0);
    expect(json.types).toContain('r7g.large');
    expect(json.types).not.toContain('m7g.large');
  });

  test('GIVEN a stack of the example organisation WHEN previewed with --json THEN each architecture of its web tier matches at least 10 types', () => {
    const result = cli(['abs', 'preview', '--stack', 'research-dev-eu-central-1', '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ stack: 'research-dev-eu-central-1', region: 'eu-central-1' });
    const resources = json.resources as { resource: string; path: string; architectures: string[]; count: number; warnings: string[] }[];
    expect(resources.map((r) => r.architectures[0]).sort()).toEqual(['arm64', 'x86_64']);
    for (const r of resources) {
      expect(r.resource).toMatch(/^aws_autoscaling_group\./);
      expect(r.path).toBe('research-dev-eu-central-1/web-service/compute/web/group/group');
      expect(r.count).toBeGreaterThanOrEqual(10);
      expect(r.warnings).toEqual([]);
    }
  });

  test.each([
    [['abs', 'preview', '--vcpus', '8'], "--vcpus '8' is not a range"],
    [['abs', 'preview', '--vcpus', '8:4', '--memory-gib', '1:'], "--vcpus '8:4': the minimum is above the maximum"],
    [['abs', 'preview', '--vcpus', '2:', '--memory-gib', '1:', '--arch', 'sparc'], "--arch 'sparc' is not valid"],
    [['abs', 'preview', '--vcpus', '2:', '--memory-gib', '1:', '--region', 'us-east-9'], "--region 'us-east-9' is not an AWS region"],
    [['abs', 'preview'], 'abs preview needs --stack <id>, or ad-hoc requirements with at least --vcpus'],
    [
      ['abs', 'preview', '--vcpus', '2:', '--burstable', 'maybe'],
      "option '--burstable <mode>' argument 'maybe' is invalid. Allowed choices are included, required, excluded. (see multiregion abs preview --help)",
    ],
    [['abs', 'preview', '--stack', 'nope-dev-us-east-1'], "--stack 'nope-dev-us-east-1' is not a workload stack of this organisation"],
    [['abs', 'preview', '--stack', 'tooling-dev'], "--stack 'tooling-dev' is not a workload stack of this organisation: ABS runs only in workload stacks"],
    [
      ['abs', 'preview', '--stack', 'research-dev-us-east-1', '--vcpus', '2:'],
      "option '--stack <id>' cannot be used with option '--vcpus <min:max>' (see multiregion abs preview --help)",
    ],
    [['abs', 'preview', '--stack', 'research-dev-us-east-1', '--arch', 'arm64'], "option '--stack <id>' cannot be used with option '--arch <list>'"],
  ])('GIVEN %j WHEN previewed THEN it fails with one line and exit 2', (args, message) => {
    const result = cli(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});
