import { devOrg, resources, synthTag } from '../../support/synth';

const EVENT = {
  event: 'quarter-close',
  endDate: '2026-12-01T00:00:00Z',
  region: 'eu-central-1',
  availabilityZones: ['eu-central-1a'],
  instanceTypes: ['m7g.large', 'm7i.large'],
  instancesPerPool: 2,
};
const batchTeam = (more: Record<string, unknown> = {}) =>
  devOrg({ 'teams.research.workloads': ['batch-fleet'], 'teams.research.compute': { batch: { totalCapacity: 4 }, plannedEvents: [EVENT] }, ...more });

describe('batch-fleet', () => {
  test('GIVEN a team with only batch-fleet WHEN synthesized THEN the fleet runs in the private subnets of the team VPC, with no load balancer', () => {
    const json = synthTag(batchTeam(), 'dev_us-east-1/research/1.0');
    const [fleet] = resources(json, 'aws_ec2_fleet');
    expect(fleet).toMatchObject({ type: 'maintain', target_capacity_specification: { total_target_capacity: 4, default_target_capacity_type: 'spot' } });
    expect(JSON.stringify(fleet.launch_template_config)).toContain('aws_subnet.network_private_');
    expect(resources(json, 'aws_vpc')).toHaveLength(1);
    expect(json.resource.aws_lb).toBeUndefined();
    expect(json.resource.aws_autoscaling_group).toBeUndefined();
  });

  test('GIVEN a planned event in eu-central-1 WHEN each region is synthesized THEN only that region reserves capacity', () => {
    expect(resources(synthTag(batchTeam(), 'dev_eu-central-1/research/1.0'), 'aws_ec2_capacity_reservation')).toHaveLength(2);
    expect(synthTag(batchTeam(), 'dev_us-east-1/research/1.0').resource.aws_ec2_capacity_reservation).toBeUndefined();
  });

  test('GIVEN web-service and batch-fleet on one team WHEN synthesized THEN they share one VPC', () => {
    const json = synthTag(batchTeam({ 'teams.research.workloads': ['web-service', 'batch-fleet'] }), 'dev_us-east-1/research/1.0');
    expect(resources(json, 'aws_vpc')).toHaveLength(1);
    expect(resources(json, 'aws_lb')).toHaveLength(1);
    expect(resources(json, 'aws_ec2_fleet')).toHaveLength(1);
  });

  test('GIVEN the fleet limited to eu-central-1 by workloadRegions WHEN each region is synthesized THEN only eu-central-1 has it, with the reservations', () => {
    const org = batchTeam({ 'teams.research.workloadRegions': { 'batch-fleet': ['eu-central-1'] } });
    const eu = synthTag(org, 'dev_eu-central-1/research/1.0');
    expect(resources(eu, 'aws_ec2_fleet')).toHaveLength(1);
    expect(resources(eu, 'aws_ec2_capacity_reservation')).toHaveLength(2);
    const us = synthTag(org, 'dev_us-east-1/research/1.0');
    expect(us.resource).toBeUndefined();
  });
});
