import { hclValue, renderTestFile } from '../../../lib/offline-plan/test-file';

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
