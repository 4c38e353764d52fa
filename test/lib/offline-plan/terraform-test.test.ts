import { parseTestOutput, TestOutputReader } from '../../../lib/offline-plan/terraform-test';

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

describe('reading one process that tests many files', () => {
  test('GIVEN two stacks in one stream, one failing and a setup error THEN each file gets its own report as it completes, and the setup error counts for both', () => {
    const completed: string[] = [];
    const reader = new TestOutputReader((file) => completed.push(file));
    const at = (seconds: number) => `2026-12-08T00:00:0${seconds}.000Z`;
    const lines = [
      { type: 'diagnostic', diagnostic: { severity: 'error', summary: 'Provider crashed' } },
      { type: 'test_file', '@testfile': 'tests/a.tftest.hcl', '@timestamp': at(1), test_file: { progress: 'starting' } },
      { type: 'test_run', '@testfile': 'tests/a.tftest.hcl', '@testrun': 'plan', test_run: { progress: 'complete', status: 'pass' } },
      { type: 'test_file', '@testfile': 'tests/a.tftest.hcl', '@timestamp': at(3), test_file: { progress: 'complete', status: 'pass' } },
      { type: 'test_file', '@testfile': 'tests/b.tftest.hcl', '@timestamp': at(3), test_file: { progress: 'starting' } },
      { type: 'diagnostic', '@testfile': 'tests/b.tftest.hcl', '@testrun': 'plan', diagnostic: { severity: 'error', summary: 'Invalid count argument' } },
      { type: 'test_run', '@testfile': 'tests/b.tftest.hcl', '@testrun': 'plan', test_run: { progress: 'complete', status: 'error' } },
      { type: 'test_run', '@testfile': 'tests/b.tftest.hcl', '@testrun': 'apply', test_run: { progress: 'complete', status: 'skip' } },
      { type: 'test_file', '@testfile': 'tests/b.tftest.hcl', '@timestamp': at(4), test_file: { progress: 'complete', status: 'error' } },
    ];
    for (const line of lines) reader.line(JSON.stringify(line));
    expect(completed).toEqual(['tests/a.tftest.hcl', 'tests/b.tftest.hcl']);
    expect(reader.reportOf('tests/a.tftest.hcl')).toEqual({ runs: { plan: 'pass' }, failures: [{ run: 'setup', summary: 'Provider crashed' }], seconds: 2 });
    expect(reader.reportOf('tests/b.tftest.hcl')).toMatchObject({
      runs: { plan: 'error', apply: 'skip' },
      failures: [
        { run: 'setup', summary: 'Provider crashed' },
        { run: 'plan', summary: 'Invalid count argument' },
      ],
      seconds: 1,
    });
  });
});
