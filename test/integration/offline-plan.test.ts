import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPluginDir, runOfflinePlan, type StackPlanResult } from '../../lib/offline-plan';
import { REPO_ROOT } from './support/multiregion';
import { run, stopAllProcesses, succeeded } from './support/processes';
import { TERRAFORM } from './support/terraform';

/**
 * `multiregion plan --offline` for real: terraform, the real hashicorp/aws provider from the
 * machine's plugin directory, and terraform's mocked provider. Every stack of the example
 * organisation and of the all-features fixture plans and applies; each kind of error a plan
 * finds and validate does not is a stack that fails, with its reason. Skipped with a message
 * where no provider is available offline, as provider validation is.
 */
const plugin = findPluginDir();
const describeWithProvider = 'dir' in plugin ? describe : describe.skip;
if ('missing' in plugin) process.stderr.write(`offline plan skipped: ${plugin.missing}\n`);

const ORGANISATIONS = {
  'example organisation': path.join(REPO_ROOT, 'environments'),
  'all-features fixture': path.join(REPO_ROOT, 'test', 'integration', 'fixtures', 'all-features'),
};
const CLI = path.join(REPO_ROOT, 'bin', 'multiregion.js');
const TIMEOUT_MS = 900_000;

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERRAFORM_BINARY: TERRAFORM, ...extra };
  for (const name of ['DEPLOY_TAG', 'STACKS', 'ENVIRONMENTS_DIR', 'CDKTF_OUTDIR', 'MULTIREGION_TF_PLUGIN_DIR']) if (!(name in extra)) delete env[name];
  return env;
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-offline-plan-'));
});
afterAll(() => {
  stopAllProcesses();
  fs.rmSync(work, { recursive: true, force: true });
});

describeWithProvider('multiregion plan --offline on whole organisations', () => {
  test.each(Object.entries(ORGANISATIONS))(
    'GIVEN the %s WHEN every stack is planned offline THEN each plans with the real provider and applies with the mock',
    async (name, environments) => {
      const result = await run(process.execPath, [CLI, 'plan', '--offline', '--json', '--environments', environments], {
        cwd: REPO_ROOT,
        env: cliEnv(),
        timeoutMs: TIMEOUT_MS,
      });
      const report = JSON.parse(result.stdout) as { failed: number; seconds: number; stacks: StackPlanResult[] };
      const failures = report.stacks.filter((s) => !s.ok).map((s) => `${s.stack}: ${JSON.stringify(s.failures)}`);
      expect(failures).toEqual([]);
      expect(result.code).toBe(0);
      expect(report.stacks.every((s) => s.plan === 'pass' && s.apply === 'pass')).toBe(true);
      for (const kind of [/^tooling-/, /^access-/, /-global$/, /-(us|eu|ap)-[a-z]+-\d$/]) expect(report.stacks.some((s) => kind.test(s.stack))).toBe(true);
      const perStack = report.stacks.reduce((sum, s) => sum + s.seconds, 0) / report.stacks.length;
      process.stdout.write(
        `${name}: ${report.stacks.length} stacks planned and applied offline in ${report.seconds.toFixed(1)} s (${perStack.toFixed(1)} s a stack)\n`,
      );
    },
    TIMEOUT_MS,
  );
});

describeWithProvider('multiregion plan --offline --tag', () => {
  test(
    'GIVEN a regional release tag THEN its stack is planned, after the global stack it reads, which is synthesized for it and marked as a dependency',
    async () => {
      // The tag names no commit here: the synth's tag check is waived, as the state-layout tests do.
      const result = await run(
        process.execPath,
        [CLI, 'plan', '--offline', '--json', '--tag', 'dev_us-east-1/research/1.0', '--environments', ORGANISATIONS['example organisation']],
        {
          cwd: REPO_ROOT,
          env: cliEnv({ MULTIREGION_ALLOW_UNRELEASED: '1' }),
          timeoutMs: TIMEOUT_MS,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { stacks: StackPlanResult[] };
      expect(report.stacks.map((s) => [s.stack, s.ok, s.dependency])).toEqual([
        ['research-dev-global', true, true],
        ['research-dev-us-east-1', true, false],
      ]);
    },
    TIMEOUT_MS,
  );
});

type StackJson = Record<string, Record<string, Record<string, Record<string, unknown>>>> & { output?: Record<string, unknown> };

/** The address of the first resource of a type in a stack. */
function first(json: StackJson, type: string): string {
  return `${type}.${Object.keys(json.resource[type])[0]}`;
}

describeWithProvider('what the offline plan finds that validate does not', () => {
  const GLOBAL = 'research-dev-global';
  const REGIONAL = 'research-dev-us-east-1';
  let results: Record<string, StackPlanResult>;
  let markers: { provisioner: string; module: string };

  // One synth of one team's global and regional stack; each case below is a copy of one of them
  // with one mistake, and one offline plan runs them all (in parallel, like the command does).
  beforeAll(async () => {
    const synth = path.join(work, 'synth');
    succeeded(
      await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'app.js')], {
        cwd: REPO_ROOT,
        env: cliEnv({ ENVIRONMENTS_DIR: ORGANISATIONS['example organisation'], CDKTF_OUTDIR: synth, STACKS: `${GLOBAL},${REGIONAL}` }),
        timeoutMs: 120_000,
      }),
    );
    const read = (stack: string): StackJson => JSON.parse(fs.readFileSync(path.join(synth, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
    const outdir = path.join(work, 'cases');
    const write = (stack: string, json: StackJson): void => {
      fs.mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
    };
    const regional = (mutate: (json: StackJson) => void): StackJson => {
      const json = read(REGIONAL);
      mutate(json);
      return json;
    };
    write(GLOBAL, read(GLOBAL));
    write(REGIONAL, read(REGIONAL));

    // A renamed output: the regional stack reads global_table__table_arn, which the global stack no longer declares.
    const renamed = read(GLOBAL);
    renamed.output = { ...renamed.output, table_arn_renamed: renamed.output!.global_table__table_arn };
    delete renamed.output.global_table__table_arn;
    (renamed.terraform as unknown as { backend: { s3: { key: string } } }).backend.s3.key = 'research/renamed-global/terraform.tfstate';
    write('renamed-global', renamed);
    write(
      'reads-renamed-output',
      regional((json) => {
        (json.data.terraform_remote_state['global-state'].config as { key: string }).key = 'research/renamed-global/terraform.tfstate';
      }),
    );

    // for_each keyed on a value AWS assigns at apply time.
    write(
      'for-each-on-apply-time-keys',
      regional((json) => {
        json.resource.aws_ssm_parameter.probe = {
          for_each: `\${{ (${first(json, 'aws_vpc')}.id) = "x" }}`,
          name: '/probe/${each.key}',
          type: 'String',
          value: '${each.value}',
        };
      }),
    );

    // count given a string that is no number.
    write(
      'count-of-wrong-type',
      regional((json) => {
        json.resource.aws_ssm_parameter.probe = { count: '${"several"}', name: '/probe', type: 'String', value: 'x' };
      }),
    );

    // An ARN argument given an id: unknown at plan, so only the mocked apply sees it is no ARN.
    write(
      'id-where-an-arn-belongs',
      regional((json) => {
        json.resource.aws_iam_role_policy_attachment = { probe: { role: 'some-role', policy_arn: `\${${first(json, 'aws_vpc')}.id}` } };
      }),
    );

    // A reference escaped into text (the drift topic's bug).
    write(
      'escaped-reference',
      regional((json) => {
        const lb = Object.values(json.resource.aws_lb)[0];
        lb.tags = { Topic: `$\${${first(json, 'aws_vpc')}.arn}` };
      }),
    );

    // Commands a stack would run on this machine: a provisioner in the list shapes Terraform JSON
    // allows (written with escaped keys), and a module whose resource has one.
    markers = { provisioner: path.join(work, 'PWNED-provisioner'), module: path.join(work, 'PWNED-module') };
    const listShaped = regional(() => undefined);
    const extra = { terraform_data: { run: [{ provisioner: [{ 'local-exec': { command: `touch ${markers.provisioner}` } }] }] } };
    (listShaped as Record<string, unknown>).resource = [listShaped.resource, extra];
    fs.mkdirSync(path.join(outdir, 'stacks', 'runs-a-provisioner'), { recursive: true });
    // The key written with a JSON escape, as a text-reading check would miss it.
    fs.writeFileSync(
      path.join(outdir, 'stacks', 'runs-a-provisioner', 'cdk.tf.json'),
      JSON.stringify(listShaped).replace('"provisioner"', '"\\u0070rovisioner"'),
    );
    const moduleDir = path.join(work, 'evil-module');
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.writeFileSync(
      path.join(moduleDir, 'main.tf.json'),
      JSON.stringify({ resource: { terraform_data: { x: { provisioner: { 'local-exec': { command: `touch ${markers.module}` } } } } } }),
    );
    write(
      'calls-a-module',
      regional((json) => {
        (json as Record<string, unknown>).module = { m: { source: moduleDir } };
      }),
    );
    // hashicorp/aws under another name, with a profile whose credential_process would run.
    write(
      'aws-under-another-name',
      regional((json) => {
        (json.terraform as unknown as { required_providers: Record<string, unknown> }).required_providers.awsprod = { source: 'hashicorp/aws' };
        (json as Record<string, unknown>).provider = { ...(json.provider as object), awsprod: [{ alias: 'x', profile: 'prod' }] };
      }),
    );

    // A global stack that fails, and the regional stack that reads it.
    const broken = read(GLOBAL);
    (broken.terraform as unknown as { backend: { s3: { key: string } } }).backend.s3.key = 'research/broken-global/terraform.tfstate';
    Object.values(broken.resource.aws_dynamodb_table)[0].billing_mode = 'SOMETIMES';
    write('broken-global', broken);
    write(
      'reads-broken-global',
      regional((json) => {
        (json.data.terraform_remote_state['global-state'].config as { key: string }).key = 'research/broken-global/terraform.tfstate';
      }),
    );

    const selected = fs.readdirSync(path.join(outdir, 'stacks')).filter((s) => s !== 'renamed-global' && s !== 'broken-global');
    const report = await runOfflinePlan({
      outdir,
      stacks: selected,
      pluginDir: (plugin as { dir: string }).dir,
      providerVersion: (plugin as { version: string }).version,
      workDir: path.join(work, 'cases-run'),
      jobs: os.availableParallelism(),
      terraform: TERRAFORM,
    });
    results = Object.fromEntries(report.results.map((r) => [r.stack, r]));
  }, TIMEOUT_MS);

  const summaries = (stack: string): string[] =>
    results[stack].failures.map((f) => `${f.run}: ${f.summary}${f.address !== undefined ? ` @ ${f.address}` : ''}`);

  test('GIVEN the stacks as synthesized THEN both plan and apply, the global one first for its outputs', () => {
    expect(results[GLOBAL]).toMatchObject({ ok: true, plan: 'pass', apply: 'pass', dependency: false });
    expect(results[REGIONAL]).toMatchObject({ ok: true, plan: 'pass', apply: 'pass', failures: [] });
  });

  test('GIVEN a regional stack reading an output its global stack does not declare THEN its plan fails on that attribute', () => {
    expect(results['renamed-global']).toMatchObject({ ok: true, dependency: true });
    expect(results['reads-renamed-output']).toMatchObject({ ok: false, plan: 'fail' });
    expect(summaries('reads-renamed-output').join('\n')).toMatch(/plan: Unsupported attribute: .*global_table__table_arn/);
  });

  test('GIVEN for_each keyed on an id AWS assigns THEN the plan fails, naming the resource', () => {
    expect(results['for-each-on-apply-time-keys']).toMatchObject({ ok: false, plan: 'fail' });
    expect(summaries('for-each-on-apply-time-keys')).toEqual([expect.stringMatching(/^plan: Invalid for_each argument: .* @ aws_ssm_parameter\.probe$/)]);
  });

  test('GIVEN count of the wrong type THEN the stack fails', () => {
    expect(results['count-of-wrong-type'].ok).toBe(false);
    expect(summaries('count-of-wrong-type').join('\n')).toMatch(/Invalid count argument|number is required/);
  });

  test('GIVEN an id where an ARN belongs THEN the plan passes (the value is unknown) and the mocked apply fails on the ARN', () => {
    expect(results['id-where-an-arn-belongs']).toMatchObject({ ok: false, plan: 'pass', apply: 'fail' });
    expect(summaries('id-where-an-arn-belongs')).toEqual([
      expect.stringMatching(/^apply: "policy_arn" \(vpc-[0-9a-f]{17}\) is an invalid ARN.* @ aws_iam_role_policy_attachment\.probe$/),
    ]);
  });

  test('GIVEN a reference escaped into text THEN terraform accepts it but the stack fails with MR-TF-1', () => {
    expect(results['escaped-reference']).toMatchObject({ ok: false, plan: 'pass', apply: 'pass' });
    expect(summaries('escaped-reference')).toEqual([
      expect.stringMatching(
        /^check: aws_lb\..*: tags\.Topic is the literal text '\$\{aws_vpc\..*\.arn}', not a reference to aws_vpc\..* \(guardrail MR-TF-1\)$/,
      ),
    ]);
  });

  test('GIVEN a provisioner in a list-shaped resource, written with escaped keys THEN the command never runs and the stack plans without it', () => {
    expect(fs.existsSync(markers.provisioner)).toBe(false);
    expect(results['runs-a-provisioner']).toMatchObject({ ok: true, plan: 'pass', apply: 'pass' });
  });

  test('GIVEN a module call THEN the stack is refused before terraform init could fetch it, and its command never runs', () => {
    expect(fs.existsSync(markers.module)).toBe(false);
    expect(results['calls-a-module']).toMatchObject({ ok: false, plan: 'not run', apply: 'not run' });
    expect(summaries('calls-a-module')).toEqual([expect.stringMatching(/^check: not run: it calls modules/)]);
  });

  test('GIVEN hashicorp/aws under another local name THEN the stack is refused, naming it', () => {
    expect(summaries('aws-under-another-name')).toEqual([expect.stringContaining("not run: it declares hashicorp/aws under the local name 'awsprod'")]);
  });

  test('GIVEN a global stack that fails THEN it is reported and the regional stack reading it is not run, saying why', () => {
    expect(results['broken-global']).toMatchObject({ ok: false, dependency: true });
    expect(summaries('broken-global').join('\n')).toContain('SOMETIMES');
    expect(results['reads-broken-global']).toMatchObject({ ok: false, plan: 'not run', apply: 'not run' });
    expect(summaries('reads-broken-global')).toEqual([
      'check: not run: broken-global, whose outputs it reads (data.terraform_remote_state.global-state), did not apply',
    ]);
  });
});

describeWithProvider('a batch whose terraform process dies', () => {
  test(
    'GIVEN terraform exiting at once whenever a process tests more than one stack THEN each unfinished stack is run alone and plans',
    async () => {
      // A stand-in for a crash mid-batch: the same terraform, which refuses to run two stack files at once.
      const wrapper = path.join(work, 'crashing-terraform.sh');
      fs.writeFileSync(
        wrapper,
        `#!/bin/sh\nn=0\nfor a in "$@"; do case "$a" in -filter=*) n=$((n+1));; esac; done\nif [ "$n" -gt 1 ]; then echo "simulated crash" >&2; exit 1; fi\nexec '${TERRAFORM}' "$@"\n`,
        { mode: 0o755 },
      );
      const synth = path.join(work, 'crash-synth');
      succeeded(
        await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'app.js')], {
          cwd: REPO_ROOT,
          env: cliEnv({ ENVIRONMENTS_DIR: ORGANISATIONS['example organisation'], CDKTF_OUTDIR: synth, STACKS: 'access-dev-research,access-dev-risk' }),
          timeoutMs: 120_000,
        }),
      );
      const report = await runOfflinePlan({
        outdir: synth,
        stacks: ['access-dev-research', 'access-dev-risk'],
        pluginDir: (plugin as { dir: string }).dir,
        providerVersion: (plugin as { version: string }).version,
        workDir: path.join(work, 'crash-run'),
        jobs: 1,
        terraform: wrapper,
      });
      expect(report.results.map((r) => [r.stack, r.ok, r.plan, r.apply])).toEqual([
        ['access-dev-research', true, 'pass', 'pass'],
        ['access-dev-risk', true, 'pass', 'pass'],
      ]);
    },
    TIMEOUT_MS,
  );
});

describeWithProvider('the provider the offline plan starts', () => {
  test("GIVEN AWS variables in the caller's environment THEN the debug-mode provider sees none of them, only the closed port and the scratch home", async () => {
    const { providerBinary, startProvider } = await import('../../lib/offline-plan');
    const { dir, version } = plugin as { dir: string; version: string };
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAREALUSERKEY00000', AWS_CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt' });
    const home = fs.mkdtempSync(path.join(work, 'home-'));
    const provider = await startProvider(providerBinary(dir, version)!, 45678, home);
    try {
      expect(provider.reattach).toBeDefined();
      const pid = (JSON.parse(provider.reattach!) as Record<string, { Pid: number }>)['registry.terraform.io/hashicorp/aws'].Pid;
      const environment = fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter((v) => v !== '');
      expect(environment).toEqual(
        expect.arrayContaining([
          'AWS_ENDPOINT_URL=http://127.0.0.1:45678',
          `HOME=${home}`,
          'AWS_CONFIG_FILE=/dev/null',
          'AWS_SHARED_CREDENTIALS_FILE=/dev/null',
        ]),
      );
      expect(environment.filter((v) => /^AWS_(PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|CA_BUNDLE)=/.test(v))).toEqual([]);
    } finally {
      provider.stop();
      process.env = saved;
    }
  }, 120_000);
});

describe('multiregion plan: bad input', () => {
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: cliEnv(), timeoutMs: 120_000 });

  test('GIVEN a plugin directory without the provider THEN exit 2 with one line that says where to get one, and nothing is synthesized', async () => {
    const empty = fs.mkdtempSync(path.join(work, 'plugins-'));
    const result = await cli('plan', '--offline', '--plugin-dir', empty);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`--plugin-dir=${empty} has no .*terraform providers mirror`))]);
  });

  test.each([
    [['plan'], 'plan needs --offline'],
    [['plan', '--offline', '--jobs', '0'], '--jobs 0: expected a whole number'],
    [['plan', '--offline', '--tag', 'dev_global/research/1.0', '--stacks', 'workload'], '--tag and --stacks cannot be used together'],
  ])('GIVEN %j THEN exit 2 with one line', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
