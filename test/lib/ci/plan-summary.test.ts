import { planHeadline, planReport, summarizePlan } from '../../../lib/ci/plan-summary';

const change = (address: string, actions: string[]): object => ({ address, change: { actions } });
const plan = {
  format_version: '1.2',
  resource_changes: [
    change('aws_vpc.network', ['no-op']),
    change('aws_lb.web', ['delete', 'create']),
    change('aws_subnet.a', ['create']),
    change('aws_subnet.b', ['create']),
    change('aws_security_group.sg', ['update']),
    change('aws_instance.old', ['delete']),
    change('data.aws_region.current', ['read']),
  ],
  output_changes: { alb_dns_name: { actions: ['update'] }, vpc_id: { actions: ['no-op'] } },
};

describe('summarizePlan', () => {
  test('GIVEN terraform show -json output THEN it counts adds, changes, replacements and destroys', () => {
    const summary = summarizePlan(plan);
    expect(summary).toMatchObject({ add: 2, change: 1, replace: 1, destroy: 1, outputs: ['alb_dns_name'], hasChanges: true });
    expect(summary.changes.map((c) => c.address)).not.toContain('aws_vpc.network');
  });

  test('the headline names what is destroyed or replaced, bounded in length', () => {
    const summary = summarizePlan(plan);
    expect(planHeadline('research-dev-us-east-1', summary)).toBe(
      'research-dev-us-east-1: 2 to add, 1 to change, 1 to replace, 1 to destroy; destroys/replaces: aws_lb.web, aws_instance.old',
    );
    expect(planHeadline('x', summary, 40)).toHaveLength(40);
    expect(planHeadline('x', summarizePlan({ format_version: '1.2', resource_changes: [] }))).toBe('x: no changes');
  });

  test('the report lists destructive changes first', () => {
    const report = planReport('s', 'dev_us-east-1/research/1.0', 'a'.repeat(40), summarizePlan(plan));
    const lines = report.split('\n');
    expect(lines[0]).toBe('Plan of s for dev_us-east-1/research/1.0 (commit aaaaaaaaaaaa)');
    expect(lines.findIndex((l) => l.includes('aws_instance.old'))).toBeLessThan(lines.findIndex((l) => l.includes('aws_subnet.a')));
  });

  test.each([
    [null, /no format_version/],
    [{ resource_changes: [] }, /no format_version/],
    [{ format_version: '1', resource_changes: [{ change: { actions: ['create'] } }] }, /has no address/],
    [{ format_version: '1', resource_changes: [change('a.b', ['explode'])] }, /unknown actions \[explode\]/],
  ])('GIVEN malformed input %# THEN it fails', (input, message) => {
    expect(() => summarizePlan(input)).toThrow(message);
  });
});
