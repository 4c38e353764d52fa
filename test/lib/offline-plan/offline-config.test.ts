import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contain } from '../../../lib/offline-plan/containment';
import { allowTeardown, offlineProviders, relaxForProvider } from '../../../lib/offline-plan/offline-config';
import { findPluginDir, providerVersions, terraformPlatform } from '../../../lib/offline-plan/provider-dir';

describe('the test copy of a stack', () => {
  const schema = {
    resource_schemas: {
      aws_s3_bucket: { block: { attributes: { bucket: { optional: true }, region: {} } } },
      aws_codepipeline: { block: { attributes: { name: { required: true } } } },
    },
    data_source_schemas: { aws_region: { block: { attributes: { name: { optional: true } } } } },
  };
  const stack = {
    terraform: { backend: { s3: { bucket: 'b' } }, required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
    resource: { aws_s3_bucket: { logs: { bucket: 'x', region: 'eu-west-1' } }, aws_codepipeline: { main: { name: 'p', region: 'us-east-1' } } },
    data: { aws_region: { here: { region: 'us-east-1' } } },
  };

  test('GIVEN provider-6-only region arguments WHEN relaxed THEN exactly those are removed and listed, the backend goes and the constraint is relaxed', () => {
    const { config, removals } = relaxForProvider('s', stack, schema, '>= 5.0');
    expect(removals).toEqual([
      { stack: 's', address: 'aws_s3_bucket.logs', argument: 'region' },
      { stack: 's', address: 'aws_codepipeline.main', argument: 'region' },
      { stack: 's', address: 'data.aws_region.here', argument: 'region' },
    ]);
    expect(config).toEqual({
      terraform: { required_providers: { aws: { source: 'aws', version: '>= 5.0' } } },
      resource: { aws_s3_bucket: { logs: { bucket: 'x' } }, aws_codepipeline: { main: { name: 'p' } } },
      data: { aws_region: { here: {} } },
    });
    expect(stack.resource.aws_s3_bucket.logs.region).toBe('eu-west-1');
  });

  test('GIVEN a region argument the offline provider accepts WHEN relaxed THEN it stays', () => {
    const accepting = {
      ...schema,
      resource_schemas: { ...schema.resource_schemas, aws_codepipeline: { block: { attributes: { name: { required: true }, region: { optional: true } } } } },
    };
    const { config, removals } = relaxForProvider('s', stack, accepting);
    expect(removals.map((r) => r.address)).not.toContain('aws_codepipeline.main');
    expect((config.resource as typeof stack.resource).aws_codepipeline.main.region).toBe('us-east-1');
  });
});

describe('the offline provider', () => {
  const config = {
    provider: {
      aws: [
        {
          region: 'eu-west-1',
          allowed_account_ids: ['111111111111'],
          assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/Deploy' }],
          profile: 'prod',
          shared_config_files: ['.terraform.lock.hcl'],
          endpoints: [{ s3: 'https://attacker.example' }],
          dynamic: { endpoints: { for_each: ['x'], content: { sts: 'http://127.0.0.1:18080' } } },
          default_tags: [{ tags: { Team: 't' } }],
        },
        { alias: 'us', region: 'us-east-1', assume_role_with_web_identity: [{}] },
      ],
    },
  };

  test('GIVEN a provider with an assumed role, a profile, credential files, endpoints and dynamic blocks WHEN made offline THEN only region, alias and tags stay, with fake keys and every lookup skipped', () => {
    const offline = offlineProviders(config).provider as { aws: Record<string, unknown>[] };
    const fake = {
      access_key: 'mock-access-key',
      secret_key: 'mock-secret-key',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      max_retries: 1,
    };
    expect(offline.aws).toEqual([
      { region: 'eu-west-1', default_tags: [{ tags: { Team: 't' } }], ...fake },
      { alias: 'us', region: 'us-east-1', ...fake },
    ]);
    expect(config.provider.aws[0].profile).toBe('prod');
  });

  test('GIVEN resources with prevent_destroy WHEN prepared for teardown THEN the flag goes and the others lifecycle settings stay', () => {
    const stack = { resource: { aws_s3_bucket: { b: { lifecycle: { prevent_destroy: true, ignore_changes: ['tags'] } }, c: {} } } };
    expect(allowTeardown(stack)).toEqual(['aws_s3_bucket.b']);
    expect(stack.resource.aws_s3_bucket.b.lifecycle).toEqual({ ignore_changes: ['tags'] });
  });
});

describe('containment: what the copy keeps so that the offline plan stays offline and runs nothing', () => {
  const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

  test('GIVEN provisioners in every shape Terraform JSON allows, keys written with escapes THEN none is left in the copy', () => {
    const stack = parse(
      '{"resource":[{"terraform_data":{"a":{"\\u0070rovisioner":{"local\\u002dexec":{"command":"touch /tmp/pwned"}}}}},{"terraform_data":{"b":[{"provisioner":[{"local-exec":{"command":"x"}}]}]}},{"aws_instance":{"i":{"connection":{"host":"h"},"provisioner":[{"remote-exec":{"inline":["x"]}}]}}}]}',
    );
    const contained = contain(stack);
    expect(contained.refusals).toEqual([]);
    expect(contained.config.resource).toEqual({ terraform_data: { a: {}, b: {} }, aws_instance: { i: {} } });
    expect(contained.removed).toEqual(['the provisioners of terraform_data.a', 'the provisioners of terraform_data.b', 'the provisioners of aws_instance.i']);
  });

  test('GIVEN a provisioner nested where no resource keeps it THEN the stack is refused, not run', () => {
    const contained = contain({ resource: { terraform_data: { a: { input: [{ provisioner: { 'local-exec': {} } }] } } } });
    expect(contained.refusals).toEqual(['it has a provisioner where the offline plan cannot remove it']);
  });

  test.each([
    ['module blocks', { module: { m: { source: 'git::file:///tmp/evil' } } }, 'it calls modules'],
    ['ephemeral resources', { ephemeral: { aws_secretsmanager_secret_version: { s: { secret_id: 'x' } } } }, 'it has ephemeral resources'],
    [
      'hashicorp/aws under another local name',
      { terraform: { required_providers: { awsprod: { source: 'hashicorp/aws' } } }, provider: { awsprod: { profile: 'prod' } } },
      "under the local name 'awsprod'",
    ],
    ['a provider that reaches out', { terraform: { required_providers: { http: { source: 'hashicorp/http' } } } }, 'it uses the provider hashicorp/http'],
    ['a provider given only by a block', { provider: { kubernetes: { host: 'h' } } }, 'it uses the provider hashicorp/kubernetes'],
    ['a resource given twice', { resource: [{ aws_s3_bucket: { b: {} } }, { aws_s3_bucket: { b: {} } }] }, 'resource.aws_s3_bucket.b is given more than once'],
  ])('GIVEN %s THEN the stack is refused with the reason', (_name, stack, reason) => {
    expect(contain(stack as Record<string, unknown>).refusals).toEqual([expect.stringContaining(reason)]);
  });

  test('GIVEN local-only providers, check, import and removed blocks, and a provider block written as an object THEN the copy keeps the providers and drops the blocks', () => {
    const contained = contain({
      terraform: { required_providers: { aws: { source: 'aws' }, random: { source: 'hashicorp/random' } } },
      provider: { aws: { region: 'us-east-1' } },
      check: { c: { data: { aws_caller_identity: { me: {} } } } },
      import: [{ to: 'aws_s3_bucket.b', id: 'b' }],
      removed: [{ from: 'aws_s3_bucket.old' }],
    });
    expect(contained.refusals).toEqual([]);
    expect(contained.config.provider).toEqual({ aws: [{ region: 'us-east-1' }] });
    expect(contained.config).not.toHaveProperty('check');
    expect(contained.config).not.toHaveProperty('import');
    expect(contained.config).not.toHaveProperty('removed');
  });
});

describe('the plugin directory', () => {
  const make = (versions: string[]): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-'));
    for (const version of versions) {
      const platform = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', version, terraformPlatform());
      fs.mkdirSync(platform, { recursive: true });
      fs.writeFileSync(path.join(platform, `terraform-provider-aws_v${version}_x5`), '');
    }
    return dir;
  };

  test('GIVEN several versions WHEN listed THEN the highest comes first, by number not by text', () => {
    expect(providerVersions(make(['5.9.0', '5.100.0', '6.2.1']))).toEqual(['6.2.1', '5.100.0', '5.9.0']);
  });

  test('GIVEN a flag WHEN looked up THEN only that directory counts, and the version is found', () => {
    const dir = make(['5.100.0']);
    expect(findPluginDir(dir, {})).toEqual({ dir, version: '5.100.0' });
    expect(findPluginDir(dir, { MULTIREGION_TF_PLUGIN_DIR: '/nowhere' })).toEqual({ dir, version: '5.100.0' });
  });

  test('GIVEN MULTIREGION_TF_PLUGIN_DIR or a flag without the provider WHEN looked up THEN the reason names the directory and its source', () => {
    const empty = make([]);
    expect(findPluginDir(undefined, { MULTIREGION_TF_PLUGIN_DIR: empty })).toEqual({
      missing: `MULTIREGION_TF_PLUGIN_DIR=${empty} has no registry.terraform.io/hashicorp/aws/<version>/${terraformPlatform()}/ provider`,
    });
    expect(findPluginDir(empty, {})).toEqual({
      missing: `--plugin-dir=${empty} has no registry.terraform.io/hashicorp/aws/<version>/${terraformPlatform()}/ provider`,
    });
  });
});
