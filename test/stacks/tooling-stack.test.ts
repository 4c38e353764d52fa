import { allowedResources, byId, exampleOrg, only, orgWith, resources, rolePolicy, synthTooling, toolingSpec, type Json } from '../pipeline/helpers';

const org = exampleOrg();
const dev = synthTooling(org, 'tooling-dev');
const PROD_ACCOUNTS = ['555555555558', '444455556669'];
const DEV_ACCOUNTS = ['555555555555', '444455556666'];
const bucketPolicy = (json: Json, id: string): { Statement: Json[] } =>
  JSON.parse(byId(json, 'aws_s3_bucket_policy', id).policy as string) as { Statement: Json[] };
const statement = (policy: { Statement: Json[] }, sid: string): Json => policy.Statement.find((s) => s.Sid === sid) as Json;

describe('ToolingStack roles', () => {
  test('the dev apply role can assume only the deploy role of dev accounts (and itself, to narrow its session), never a prod account', () => {
    const targets = allowedResources(rolePolicy(dev, 'roles_apply'), 'sts:AssumeRole');
    expect(targets.sort()).toEqual(
      [...DEV_ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/InfraBuildRole`), 'arn:aws:iam::111122223333:role/awsome-infra-dev-apply'].sort(),
    );
    const trust = JSON.parse(byId(dev, 'aws_iam_role', 'roles_apply_role').assume_role_policy as string) as { Statement: Json[] };
    expect(trust.Statement.find((st) => st.Sid === 'OwnSessionsNarrowThemselves')).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/awsome-infra-dev-apply' } },
    });
    for (const account of PROD_ACCOUNTS) expect(JSON.stringify(rolePolicy(dev, 'roles_apply'))).not.toContain(account);
  });

  test('the dev plan role can assume only the view-only role of dev accounts', () => {
    const targets = allowedResources(rolePolicy(dev, 'roles_plan'), 'sts:AssumeRole');
    expect(targets.sort()).toEqual(DEV_ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/InfraBuildRole-ReadOnly`).sort());
  });

  test.each(['roles_validate', 'roles_scan', 'roles_review', 'roles_health', 'roles_release'])(
    '%s reaches no workload account and no state (finding 5)',
    (id) => {
      const text = JSON.stringify(rolePolicy(dev, id));
      expect(text).not.toContain('sts:AssumeRole');
      expect(text).not.toContain('tf-state');
    },
  );

  test('dev state roles cannot read the prod state bucket; they reach only dev state keys and their lock objects', () => {
    for (const id of ['roles_plan', 'roles_apply', 'roles_drift']) {
      const policy = rolePolicy(dev, id);
      expect(JSON.stringify(policy)).not.toContain('org-awesome-tf-state-prod');
      const readable = allowedResources(policy, 's3:GetObject').filter((r) => r.startsWith('arn:aws:s3:::org-awesome-tf-state'));
      expect(readable.length).toBeGreaterThan(0);
      for (const arn of readable)
        expect(arn).toMatch(/^arn:aws:s3:::org-awesome-tf-state-dev\/(research|risk)\/dev-[a-z0-9-]+\/terraform\.tfstate(\.tflock)?$/);
    }
    expect(
      allowedResources(rolePolicy(dev, 'roles_plan'), 's3:PutObject')
        .filter((r) => r.includes('tf-state'))
        .every((r) => r.endsWith('.tflock')),
    ).toBe(true);
    expect(allowedResources(rolePolicy(dev, 'roles_apply'), 's3:PutObject')).toContain(
      'arn:aws:s3:::org-awesome-tf-state-dev/research/dev-us-east-1/terraform.tfstate',
    );
  });

  test('GIVEN dynamodb locking THEN the lock table exists, only state roles and administrators may touch it, each role only its own lock items', () => {
    const locked = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('locking: lockfile', 'locking: dynamodb')));
    const json = synthTooling(locked, 'tooling-dev');
    const table = byId(json, 'aws_dynamodb_table', 'state_lock-table');
    expect(table).toMatchObject({
      name: 'org-awesome-tf-state-lock-dev',
      hash_key: 'LockID',
      billing_mode: 'PAY_PER_REQUEST',
      deletion_protection_enabled: true,
    });
    expect(table.server_side_encryption).toMatchObject({ enabled: true, kms_key_arn: expect.stringMatching(/aws_kms_key\.state-key/) });
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
    const locks = rolePolicy(json, 'roles_plan').Statement.find((s) => s.Sid === 'DynamoDbLocks') as Json;
    expect(locks.Resource).toEqual(['arn:aws:dynamodb:us-east-1:111122223333:table/org-awesome-tf-state-lock-dev']);
    expect(locks.Condition['ForAllValues:StringEquals']['dynamodb:LeadingKeys']).toContain(
      'org-awesome-tf-state-dev/research/dev-global/terraform.tfstate-md5',
    );
    // Finding 3: the lock table refuses every principal but the pipeline's state roles and the administrators.
    const tablePolicy = JSON.parse(only(json, 'aws_dynamodb_resource_policy').policy as string) as { Statement: Json[] };
    const deny = statement(tablePolicy, 'DenyOtherPrincipals');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'dynamodb:*' });
    const allowed = deny.Condition.StringNotEquals['aws:PrincipalArn'] as string[];
    expect(allowed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/roles_plan_role/),
        expect.stringMatching(/roles_apply_role/),
        'arn:aws:iam::111122223333:role/PlatformAdmin',
      ]),
    );
    expect(allowed.filter((a) => /roles_(validate|scan|review|release|health)_role/.test(a))).toEqual([]);
    expect(resources(dev, 'aws_dynamodb_resource_policy')).toEqual([]);
  });

  test('service trust policies are bound to the tooling account and the calling resource', () => {
    const trust = (id: string): Json => JSON.parse(byId(dev, 'aws_iam_role', id).assume_role_policy as string).Statement[0] as Json;
    expect(trust('roles_pipeline_role')).toMatchObject({
      Principal: { Service: 'codepipeline.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-1:111122223333:awsome-infra-dev-release' },
      },
    });
    expect(trust('roles_apply_role').Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:us-east-1:111122223333:project/awsome-infra-dev-apply');
    expect(trust('roles_plan_role').Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:us-east-1:111122223333:project/awsome-infra-dev-plan');
  });
});

describe('ToolingStack keys', () => {
  test('KMS key policies name principals and never grant the account root', () => {
    for (const key of resources(dev, 'aws_kms_key')) {
      expect(key.enable_key_rotation).toBe(true);
      const policy = JSON.parse(key.policy as string) as { Statement: Json[] };
      expect(JSON.stringify(policy)).not.toMatch(/:root"/);
      // A wildcard principal only with a condition naming exact roles of the tooling account.
      for (const st of policy.Statement.filter((x) => x.Principal === '*' || x.Principal.AWS === '*')) {
        expect(st.Condition).toEqual({ StringEquals: { 'kms:CallerAccount': '111122223333' }, ArnEquals: { 'aws:PrincipalArn': expect.any(Array) } });
      }
    }
  });

  test('the state key is administered by the configured stable roles and the deployer, and drift may only decrypt (finding 7)', () => {
    const policy = JSON.parse(byId(dev, 'aws_kms_key', 'state-key').policy as string) as { Statement: Json[] };
    const admins = statement(policy, 'AdministerKey').Principal.AWS as string[];
    expect(admins).toEqual(expect.arrayContaining(['arn:aws:iam::111122223333:role/PlatformAdmin', 'arn:aws:iam::111122223333:role/BreakGlassAdmin']));
    expect(statement(policy, 'DecryptOnly')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Principal: { AWS: [expect.stringMatching(/roles_drift_role/)] },
    });
    expect(JSON.stringify(statement(policy, 'UseKey'))).not.toMatch(/roles_(validate|scan|review|release|drift)_role/);
  });
});

describe('ToolingStack storage', () => {
  test('every bucket is versioned, SSE-KMS encrypted, fully blocked from public access and TLS-only', () => {
    const buckets = resources(dev, 'aws_s3_bucket');
    expect(buckets.map((b) => b.bucket).sort()).toEqual([
      'awsome-infra-dev-artifacts-111122223333',
      'awsome-infra-dev-source-111122223333',
      'org-awesome-tf-state-dev',
    ]);
    expect(resources(dev, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration.status)).toEqual(['Enabled', 'Enabled', 'Enabled']);
    for (const sse of resources(dev, 'aws_s3_bucket_server_side_encryption_configuration')) {
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
      expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key/);
    }
    for (const block of resources(dev, 'aws_s3_bucket_public_access_block')) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const policy of resources(dev, 'aws_s3_bucket_policy')) {
      const deny = statement(JSON.parse(policy.policy as string) as { Statement: Json[] }, 'DenyInsecureTransport');
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    }
  });

  test('the state bucket refuses SSE-S3, other keys and every principal but the state roles and administrators (finding 3)', () => {
    const policy = bucketPolicy(dev, 'state_bucket_policy');
    expect(statement(policy, 'DenyEncryptionOtherThanKms').Condition).toEqual({ StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } });
    expect(statement(policy, 'DenyOtherKmsKeys').Condition.StringNotEqualsIfExists['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual([
      expect.stringMatching(/aws_kms_key\.state-key/),
      'arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state',
    ]);
    const others = statement(policy, 'DenyOtherPrincipals');
    expect(others).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*' });
    const principals = others.Condition.StringNotEquals['aws:PrincipalArn'] as string[];
    expect(
      principals
        .filter((p) => /roles_/.test(p))
        .map((p) => /roles_([a-z]+)_role/.exec(p)?.[1])
        .sort(),
    ).toEqual(['apply', 'drift', 'plan']);
    expect(principals).toContain('arn:aws:iam::111122223333:role/PlatformAdmin');
  });

  test('the artifact bucket enforces its key and accepts writes only from the stages that produce artifacts (finding 5)', () => {
    const policy = bucketPolicy(dev, 'artifacts_policy');
    expect(statement(policy, 'DenyOtherKmsKeys').Condition.StringNotEqualsIfExists['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual([
      expect.stringMatching(/aws_kms_key\.pipeline-key/),
    ]);
    const writers = statement(policy, 'DenyOtherWriters').Condition.StringNotEquals['aws:PrincipalArn'] as string[];
    expect(writers.map((p) => /roles_([a-z]+)_role/.exec(p)?.[1]).sort()).toEqual(['pipeline', 'plan', 'release', 'validate']);
    const source = statement(bucketPolicy(dev, 'source_policy'), 'DenyOtherWriters').Condition.StringNotEquals['aws:PrincipalArn'] as string[];
    expect(source).toEqual([expect.stringMatching(/roles_trigger_role/)]);
  });

  test('the release ledger is encrypted, recoverable and refuses terraform destroy', () => {
    expect(byId(dev, 'aws_dynamodb_table', 'ledger_table')).toMatchObject({
      name: 'awsome-infra-dev-releases',
      hash_key: 'ReleaseTag',
      deletion_protection_enabled: true,
      point_in_time_recovery: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
  });

  test('the state bucket and its key refuse terraform destroy', () => {
    expect(byId(dev, 'aws_s3_bucket', 'state_bucket').lifecycle).toEqual({ prevent_destroy: true });
    expect(byId(dev, 'aws_kms_key', 'state-key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the tooling stack keeps its own state in the bucket it creates, encrypted with the state key, or locally for the bootstrap', () => {
    expect(dev.terraform.backend.s3).toEqual({
      bucket: 'org-awesome-tf-state-dev',
      key: 'tooling/dev/terraform.tfstate',
      region: 'us-east-1',
      encrypt: true,
      kms_key_id: 'arn:aws:kms:us-east-1:111122223333:alias/awsome-infra-dev-state',
      use_lockfile: true,
    });
    expect(byId(dev, 'aws_kms_alias', 'state-key_alias').name).toBe('alias/awsome-infra-dev-state');
    const bootstrap = synthTooling(org, 'tooling-dev', '/project/bootstrap-state/tooling-dev.tfstate');
    expect(bootstrap.terraform.backend).toEqual({ local: { path: '/project/bootstrap-state/tooling-dev.tfstate' } });
  });

  test('the notification topic is encrypted with the pipeline key', () => {
    expect(only(dev, 'aws_sns_topic').kms_master_key_id).toMatch(/aws_kms_key\.pipeline-key/);
  });
});

describe('ToolingStack regional layout', () => {
  const regional = orgWith((f) => (f['project.yaml'] = f['project.yaml'].replace('layout: central', 'layout: regional')));

  test('one tooling stack per environment and region, each with its regional state bucket and key', () => {
    const spec = toolingSpec(regional, 'tooling-dev-eu-central-1');
    expect(spec.state.bucket).toBe('org-awesome-tf-state-euc1-dev');
    expect(spec.state.kmsKeyId).toBe('arn:aws:kms:eu-central-1:111122223333:alias/awsome-infra-dev-euc1-state');
    expect(spec.region).toBe('eu-central-1');
    expect(spec.tagPrefixes).toEqual(['dev_eu-central-1/']);
    const json = synthTooling(regional, 'tooling-dev-eu-central-1');
    expect(byId(json, 'aws_s3_bucket', 'state_bucket').region).toBe('eu-central-1');
  });

  test('a regional release reads its team global state in the global region, and nothing else there (terraform_remote_state)', () => {
    const json = synthTooling(regional, 'tooling-dev-eu-central-1');
    for (const id of ['roles_plan', 'roles_apply']) {
      const policy = rolePolicy(json, id);
      const elsewhere = (action: string): string[] => allowedResources(policy, action).filter((r) => r.includes('org-awesome-tf-state-use1-dev'));
      expect(elsewhere('s3:GetObject').sort()).toEqual([
        'arn:aws:s3:::org-awesome-tf-state-use1-dev/research/dev-global/terraform.tfstate',
        'arn:aws:s3:::org-awesome-tf-state-use1-dev/risk/dev-global/terraform.tfstate',
      ]);
      expect(elsewhere('s3:PutObject')).toEqual([]);
      const decrypt = policy.Statement.find((s) => s.Sid === 'DecryptGlobalStatesOfTheseTeams') as Json;
      expect(decrypt).toMatchObject({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: ['arn:aws:kms:us-east-1:111122223333:key/*'] });
      expect(decrypt.Condition['ForAnyValue:StringEquals']['kms:ResourceAliases']).toEqual(['alias/awsome-infra-dev-use1-state']);
    }
    // The global region's store lets exactly those roles in: bucket policy and key policy.
    const global = synthTooling(regional, 'tooling-dev-us-east-1');
    const readers = ['plan', 'apply', 'drift'].map((r) => `arn:aws:iam::111122223333:role/awsome-infra-dev-euc1-${r}`);
    const principals = statement(bucketPolicy(global, 'state_bucket_policy'), 'DenyOtherPrincipals').Condition.StringNotEquals['aws:PrincipalArn'] as string[];
    expect(principals).toEqual(expect.arrayContaining(readers));
    const keyPolicy = JSON.parse(byId(global, 'aws_kms_key', 'state-key').policy as string) as { Statement: Json[] };
    expect(statement(keyPolicy, 'DecryptOnlyForRolesOfOtherStacks').Condition.ArnEquals['aws:PrincipalArn']).toEqual(expect.arrayContaining(readers));
    expect(JSON.stringify(rolePolicy(global, 'roles_plan'))).not.toContain('DecryptGlobalStates');
  });
});
