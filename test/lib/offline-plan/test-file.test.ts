import { hclValue, renderTestFile } from '../../../lib/offline-plan/test-file';
import { batches } from '../../../lib/offline-plan/run';
import { parseTestOutput } from '../../../lib/offline-plan/terraform-test';

describe('the offline test file', () => {
  test('GIVEN values with template sigils and control characters WHEN rendered as HCL THEN terraform reads them back as written', () => {
    expect(hclValue({ a: 'x${y}', b: '%{if}', c: 'back\bfeed\f', d: 'a\\b', e: [1, true, null] })).toBe(
      '{"a":"x$${y}","b":"%%{if}","c":"back\\u0008feed\\u000c","d":"a\\\\b","e":[1,true,null]}',
    );
  });

  test('GIVEN reads, mocks and two provider configurations WHEN rendered THEN reads are file-wide, mocks belong to the mocked apply, and each provider is mocked', () => {
    const text = renderTestFile({
      aliases: ['', 'us'],
      reads: { 'data.aws_caller_identity.me': { account_id: '1' } },
      mocks: { 'aws_vpc.v': { id: 'vpc-1' }, 'data.aws_iam_policy_document.d': { json: '{}' }, 'aws_acm_certificate.c': { arn: 'a' } },
      duringPlan: new Set(['aws_acm_certificate.c']),
    });
    const [fileWide, applyRun] = text.split('run "apply" {');
    expect(fileWide).toContain('override_data {\n  target = data.aws_caller_identity.me\n  values = {"account_id":"1"}\n}');
    expect(fileWide).toContain('mock_provider "aws" {\n  alias = "mock"\n}');
    expect(fileWide).toContain('mock_provider "aws" {\n  alias = "mock_us"\n}');
    expect(fileWide).toContain('run "plan" {\n  command = plan\n}');
    expect(applyRun).toContain('providers = { aws = aws.mock, aws.us = aws.mock_us }');
    expect(applyRun).toContain('override_resource {\n    target = aws_vpc.v\n    values = {"id":"vpc-1"}');
    expect(applyRun).toContain('override_data {\n    target = data.aws_iam_policy_document.d');
    expect(applyRun).toContain('target = aws_acm_certificate.c\n    override_during = plan\n');
    expect(applyRun.match(/override_during/g)).toHaveLength(1);
  });
});

describe('reading terraform test -json', () => {
  const lines = (...messages: object[]): string => ['not json', ...messages.map((m) => JSON.stringify(m))].join('\n');

  test('GIVEN a passing plan and a failing apply, with the error repeated at teardown THEN the runs, the one error and its address are read', () => {
    const error = {
      type: 'diagnostic',
      '@testrun': 'apply',
      diagnostic: { severity: 'error', summary: 'Unsupported attribute', detail: 'This object has no attribute "x".\nmore', address: 'aws_lb.web' },
    };
    const report = parseTestOutput(
      lines(
        { type: 'test_run', '@testrun': 'plan', test_run: { run: 'plan', progress: 'complete', status: 'pass' } },
        { type: 'test_plan', '@testrun': 'plan', test_plan: { resource_changes: [{ change: { actions: ['create'] } }, { change: { actions: ['read'] } }] } },
        { type: 'test_run', '@testrun': 'apply', test_run: { run: 'apply', progress: 'complete', status: 'error' } },
        error,
        { type: 'diagnostic', diagnostic: { severity: 'warning', summary: 'Invalid override target' } },
        error,
      ),
    );
    expect(report).toEqual({
      runs: { plan: 'pass', apply: 'error' },
      failures: [{ run: 'apply', summary: 'Unsupported attribute: This object has no attribute "x".', address: 'aws_lb.web' }],
      toCreate: 1,
    });
  });

  test('GIVEN the state after apply THEN its outputs are read', () => {
    const report = parseTestOutput(
      lines({ type: 'test_state', '@testrun': 'apply', test_state: { outputs: { arn: { value: 'arn:aws:x', type: 'string' } } } }),
    );
    expect(report.outputs).toEqual({ arn: 'arn:aws:x' });
  });

  test('GIVEN an error before any run THEN it is a setup failure', () => {
    const report = parseTestOutput(lines({ type: 'diagnostic', diagnostic: { severity: 'error', summary: 'Failed to load plugin schemas' } }));
    expect(report.failures).toEqual([{ run: 'setup', summary: 'Failed to load plugin schemas' }]);
  });
});

describe('the resource a diagnostic names', () => {
  test.each([
    ['resource.aws_ssm_parameter.probe', 'aws_ssm_parameter.probe'],
    ['resource.aws_lb_listener.http.default_action[0]', 'aws_lb_listener.http'],
    ['data.aws_iam_policy_document.d', 'data.aws_iam_policy_document.d'],
  ])('GIVEN a diagnostic without an address in %s THEN the block of its snippet is named', (context, address) => {
    const line = JSON.stringify({
      type: 'diagnostic',
      '@testrun': 'plan',
      diagnostic: { severity: 'error', summary: 'Invalid for_each argument', snippet: { context } },
    });
    expect(parseTestOutput(line).failures).toEqual([{ run: 'plan', summary: 'Invalid for_each argument', address }]);
  });
});

describe('batches of stacks', () => {
  test('GIVEN stacks of different sizes and two jobs THEN the batches are about equal in size and hold every stack once', () => {
    const sizes: Record<string, number> = { a: 40, b: 10, c: 30, d: 20, e: 5 };
    const split = batches(Object.keys(sizes), 2, (s) => sizes[s]);
    expect(split).toHaveLength(2);
    expect(split.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const loads = split.map((b) => b.reduce((n, s) => n + sizes[s], 0));
    expect(Math.abs(loads[0] - loads[1])).toBeLessThanOrEqual(5);
  });

  test('GIVEN fewer stacks than jobs THEN there is one batch a stack and none empty', () => {
    expect(batches(['a'], 4, () => 1)).toEqual([['a']]);
    expect(batches([], 4, () => 1)).toEqual([]);
  });
});
