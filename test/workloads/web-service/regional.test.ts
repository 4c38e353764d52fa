import { devOrg, resources, synthTag, type Json } from '../../support/synth';

const CERT = 'arn:aws:acm:eu-central-1:555555555555:certificate/1111-2222';
const httpsWith = (https: object, more: Record<string, unknown> = {}) => devOrg({ 'settings.web-service': { https }, ...more });

function listeners(json: Json): Record<number, Json> {
  return Object.fromEntries(resources(json, 'aws_lb_listener').map((l) => [l.port, l]));
}

describe('web-service: HTTPS', () => {
  const json = synthTag(
    httpsWith({ certificateArns: { 'eu-central-1': CERT, 'us-east-1': CERT.replace('eu-central-1', 'us-east-1') } }),
    'dev_eu-central-1/research/1.0',
  );

  test('GIVEN an existing certificate for the region WHEN synthesized THEN 443 serves with it under a TLS 1.3 policy and forwards to the web tier', () => {
    const https = listeners(json)[443];
    expect(https).toMatchObject({ protocol: 'HTTPS', certificate_arn: CERT, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(https.default_action[0]).toMatchObject({ type: 'forward', target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\./) });
    expect(json.resource.aws_acm_certificate).toBeUndefined();
  });

  test('GIVEN HTTPS WHEN synthesized THEN 80 only redirects to HTTPS permanently', () => {
    expect(listeners(json)[80]).toMatchObject({
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  test('GIVEN HTTPS WHEN synthesized THEN the load balancer accepts 80 and 443 from the internet and nothing else', () => {
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.security_group_id).includes('web-service_alb_sg'));
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      [443, 443, '0.0.0.0/0'],
      [80, 80, '0.0.0.0/0'],
    ]);
  });

  test('GIVEN a domain and zone without certificates WHEN synthesized THEN a DNS-validated certificate serves, and a latency alias names the region', () => {
    const dns = synthTag(httpsWith({ domainName: 'app.example.com', hostedZoneId: 'Z123ABC' }), 'dev_eu-central-1/research/1.0');
    const [certificate] = resources(dns, 'aws_acm_certificate');
    expect(certificate).toMatchObject({ domain_name: 'app.example.com', validation_method: 'DNS', lifecycle: { create_before_destroy: true } });
    const records = resources(dns, 'aws_route53_record');
    const validation = records.find((r) => r.for_each !== undefined)!;
    expect(validation).toMatchObject({
      zone_id: 'Z123ABC',
      allow_overwrite: true,
      name: '${each.value.resource_record_name}',
      records: ['${each.value.resource_record_value}'],
    });
    expect(validation.for_each).toContain('domain_validation_options');
    const [validated] = resources(dns, 'aws_acm_certificate_validation');
    expect(validated.validation_record_fqdns).toMatch(/^\$\{\[for record in aws_route53_record\.[^ ]+ : record\.fqdn\]\}$/);
    expect(listeners(dns)[443].certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\.[^.]+\.certificate_arn\}$/);
    const alias = records.find((r) => r.alias !== undefined)!;
    expect(alias).toMatchObject({
      name: 'app.example.com',
      type: 'A',
      set_identifier: 'eu-central-1',
      latency_routing_policy: { region: 'eu-central-1' },
      alias: { evaluate_target_health: true },
    });
    expect(dns.output.web_service_url.value).toBe('https://app.example.com/');
  });
});

describe('web-service: plain HTTP by explicit choice', () => {
  const json = synthTag(devOrg(), 'dev_eu-central-1/research/1.0');

  test('GIVEN plainHttp WHEN synthesized THEN only port 80 serves, without certificate or redirect', () => {
    const all = listeners(json);
    expect(Object.keys(all)).toEqual(['80']);
    expect(all[80].default_action[0].type).toBe('forward');
    expect(json.resource.aws_acm_certificate).toBeUndefined();
    expect(json.output.web_service_url.value).toMatch(/^http:\/\//);
  });
});

describe('web-service: access logs', () => {
  const json = synthTag(devOrg(), 'dev_eu-central-1/research/1.0');

  // Issue 20, bug 2: AWS checks that ELB may write when logging is enabled, so the load balancer
  // must wait for the bucket policy; the name read from the policy resource makes it wait.
  test('WHEN synthesized THEN the load balancer logs to its own encrypted, private bucket, once the policy lets ELB write', () => {
    const [lb] = resources(json, 'aws_lb');
    expect(lb.access_logs).toEqual({
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket_policy\.web-service_access-logs_policy_[^.]+\.bucket\}$/),
      prefix: 'alb',
      enabled: true,
    });
    const [bucket] = resources(json, 'aws_s3_bucket');
    expect(bucket.bucket).toBe('acme-research-dev-euc1-alb-logs-555555555555');
    expect(bucket.bucket.length).toBeLessThanOrEqual(63);
    expect(resources(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe(
      'AES256',
    );
    expect(resources(json, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resources(json, 'aws_s3_bucket_ownership_controls')[0].rule.object_ownership).toBe('BucketOwnerEnforced');
    expect(resources(json, 'aws_s3_bucket_lifecycle_configuration')[0].rule[0].expiration[0].days).toBe(90);
  });

  test("WHEN synthesized THEN only the region's ELB delivery may write, only under the account's log prefix, only over TLS", () => {
    const policy = JSON.parse(resources(json, 'aws_s3_bucket_policy')[0].policy as string);
    const [deny, account, service] = policy.Statement;
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(account).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Principal: { AWS: expect.stringMatching(/^\$\{data\.aws_elb_service_account\./) },
    });
    expect(service.Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
    for (const statement of [account, service]) expect(statement.Resource).toMatch(/\/alb\/AWSLogs\/555555555555\/\*$/);
  });

  test('GIVEN access logs disabled WHEN synthesized THEN there is no bucket and no logging', () => {
    const off = synthTag(devOrg({ 'settings.web-service': { plainHttp: true, accessLogs: { enabled: false } } }), 'dev_eu-central-1/research/1.0');
    expect(off.resource.aws_s3_bucket).toBeUndefined();
    expect(resources(off, 'aws_lb')[0].access_logs).toBeUndefined();
  });
});

describe('web-service: deletion protection follows the production mark', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['a dev environment', {}, false],
    ['an environment marked production', { production: true }, true],
    ['production with protection turned off explicitly', { production: true, 'settings.web-service': { plainHttp: true, deletionProtection: false } }, false],
  ])('GIVEN %s WHEN synthesized THEN deletion protection is %s', (_what, changes, expected) => {
    const json = synthTag(devOrg(changes), 'dev_us-east-1/risk/1.0');
    expect(resources(json, 'aws_lb')[0].enable_deletion_protection).toBe(expected);
    expect(resources(json, 'aws_s3_bucket')[0].force_destroy).toBe(!(changes.production === true));
  });
});
