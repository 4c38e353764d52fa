import { evaluateHealth } from '../../../lib/ci/health';

const event = (overrides: object): object => ({
  arn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/1',
  service: 'EC2',
  eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
  eventTypeCategory: 'issue',
  region: 'us-east-1',
  statusCode: 'open',
  ...overrides,
});

describe('evaluateHealth', () => {
  test('GIVEN an open issue in the target region THEN the deployment must wait', () => {
    const verdict = evaluateHealth({ events: [event({})] }, { region: 'us-east-1' });
    expect(verdict.healthy).toBe(false);
    expect(verdict.message).toMatch(/1 open issue\(s\) affecting us-east-1: EC2 AWS_EC2_OPERATIONAL_ISSUE \(us-east-1\); retry this stage/);
  });

  test('GIVEN an open global issue THEN every region waits', () => {
    expect(evaluateHealth({ events: [event({ region: 'global', service: 'IAM' })] }, { region: 'eu-central-1' }).healthy).toBe(false);
  });

  test.each([
    ['another region', { region: 'eu-west-1' }],
    ['a closed issue', { statusCode: 'closed' }],
    ['scheduled maintenance', { eventTypeCategory: 'scheduledChange' }],
    ['an account notification', { eventTypeCategory: 'accountNotification' }],
  ])('GIVEN %s THEN the deployment proceeds', (_what, overrides) => {
    expect(evaluateHealth({ events: [event(overrides)] }, { region: 'us-east-1' }).healthy).toBe(true);
  });

  test('GIVEN a service filter THEN issues of other services do not block', () => {
    expect(evaluateHealth({ events: [event({ service: 'SES' })] }, { region: 'us-east-1', services: ['EC2'] }).healthy).toBe(true);
    expect(evaluateHealth({ events: [event({})] }, { region: 'us-east-1', services: ['EC2'] }).healthy).toBe(false);
  });

  test('GIVEN malformed output THEN it fails closed', () => {
    expect(() => evaluateHealth({ nope: [] }, { region: 'us-east-1' })).toThrow(/expected the JSON of aws health describe-events/);
    expect(() => evaluateHealth({ events: [{ service: 'EC2' }] }, { region: 'us-east-1' })).toThrow(/event 0 has no arn/);
  });
});
