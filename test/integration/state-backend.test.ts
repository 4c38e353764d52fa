/**
 * The state layout and locking, for real: the synth app writes a stack for a release tag, real
 * `terraform init` and `terraform apply` use that stack's S3 backend block against s3rver and
 * dynalite on 127.0.0.1, and the test looks at what landed where.
 *
 * The probe configurations keep the synthesized backend block and replace everything else with
 * `terraform_data` resources (built into Terraform), so no provider is downloaded and nothing
 * leaves the machine. The only additions to the backend block are the local endpoints and the
 * skip_* flags of localBackendOverrides().
 *
 * What this cannot prove: S3 native locking (`use_lockfile`). Terraform creates its .tflock
 * object with a conditional PUT (If-None-Match: *), and s3rver 3.7.1 ignores that header
 * (lib/controllers/object.js, putObject), so a second writer would "acquire" the lock too. The
 * lockfile cases below only show that the setting reaches Terraform and works end to end without
 * error; mutual exclusion is proven for DynamoDB locking alone.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalDynamoDb, LocalS3 } from './support/aws-http';
import { explainTag, ensureFrameworkBuilt, synthesizeForTag, type ReportedBackend, type SynthesizedStack, type TagExplanation } from './support/multiregion';
import { writeOrganisation, yaml, type OrganisationFixture } from './support/organisation';
import { describeResult, stopAllProcesses, succeeded, type ProcessResult, type RunningProcess } from './support/processes';
import { startStateServers, type LocalStateServers } from './support/servers';
import { localBackendOverrides, parseState, probeResourcesOf, ProbeWorkspace } from './support/terraform';

const CENTRAL_DYNAMODB: OrganisationFixture = {
  name: 'central-dynamodb',
  projectYaml: yaml`
    project: itest
    backend:
      prefix: itest-central
      layout: central
      region: us-east-1
      locking: dynamodb
    tooling:
      account: "111111111111"
      region: us-east-1
    globalRegion: us-east-1
    deployRoleName: InfraBuildRole
  `,
  environments: {
    dev: yaml`
      regions: [us-east-1, eu-central-1]
      teams:
        research:
          account: "222222222222"
    `,
    qa: yaml`
      regions: [us-east-1, eu-central-1]
      teams:
        research:
          account: "333333333333"
        risk:
          account: "333333333334"
    `,
  },
  buckets: ['itest-central-dev', 'itest-central-qa'],
  lockTables: ['itest-central-lock-dev', 'itest-central-lock-qa'],
};

const REGIONAL_BOTH: OrganisationFixture = {
  name: 'regional-both',
  projectYaml: yaml`
    project: itest
    backend:
      prefix: itest-regional
      layout: regional
      locking: both
    tooling:
      account: "111111111111"
      region: eu-central-1
    globalRegion: eu-central-1
    deployRoleName: InfraBuildRole
  `,
  environments: {
    dev: yaml`
      regions: [us-east-1, eu-central-1, ap-southeast-1]
      teams:
        research:
          account: "444444444444"
    `,
  },
  buckets: ['itest-regional-use1-dev', 'itest-regional-euc1-dev', 'itest-regional-apse1-dev'],
  lockTables: ['itest-regional-use1-lock-dev', 'itest-regional-euc1-lock-dev', 'itest-regional-apse1-lock-dev'],
};

// `locking` left out: lockfile is the default.
const CENTRAL_LOCKFILE: OrganisationFixture = {
  name: 'central-lockfile',
  projectYaml: yaml`
    project: itest
    backend:
      prefix: itest-lockfile
      layout: central
      region: eu-central-1
    tooling:
      account: "111111111111"
      region: eu-central-1
    globalRegion: us-east-1
    deployRoleName: InfraBuildRole
  `,
  environments: {
    prod: yaml`
      regions: [us-east-1]
      teams:
        research:
          account: "555555555555"
    `,
  },
  buckets: ['itest-lockfile-prod'],
  lockTables: [],
};

const REGIONAL_LOCKFILE: OrganisationFixture = {
  name: 'regional-lockfile',
  projectYaml: yaml`
    project: itest
    backend:
      prefix: itest-rlf
      layout: regional
      locking: lockfile
    tooling:
      account: "111111111111"
      region: us-west-2
    globalRegion: us-west-2
    deployRoleName: InfraBuildRole
  `,
  environments: {
    staging: yaml`
      regions: [us-west-2]
      teams:
        payments:
          account: "666666666666"
    `,
  },
  buckets: ['itest-rlf-usw2-staging'],
  lockTables: [],
};

const ORGANISATIONS = [CENTRAL_DYNAMODB, REGIONAL_BOTH, CENTRAL_LOCKFILE, REGIONAL_LOCKFILE];

interface LayoutCase {
  readonly label: string;
  readonly organisation: OrganisationFixture;
  readonly tag: string;
  /** Where DESIGN.md's state layout table puts the state of this tag (the state key is checked apart). */
  readonly expected: Omit<ReportedBackend, 'kmsKeyId'>;
}

// DynamoDB-only and `both` (DynamoDB plus lockfile): the lock table is really used.
const DYNAMODB_CASES: LayoutCase[] = [
  {
    label: 'central layout, regional scope, dynamodb locking',
    organisation: CENTRAL_DYNAMODB,
    tag: 'dev_us-east-1/research/1.0',
    expected: {
      bucket: 'itest-central-dev',
      key: 'research/dev-us-east-1/terraform.tfstate',
      region: 'us-east-1',
      dynamodbTable: 'itest-central-lock-dev',
      useLockfile: false,
    },
  },
  {
    label: 'central layout, regional scope outside the backend region, dynamodb locking',
    organisation: CENTRAL_DYNAMODB,
    tag: 'dev_eu-central-1/research/1.0',
    expected: {
      bucket: 'itest-central-dev',
      key: 'research/dev-eu-central-1/terraform.tfstate',
      region: 'us-east-1',
      dynamodbTable: 'itest-central-lock-dev',
      useLockfile: false,
    },
  },
  {
    label: 'central layout, global scope, dynamodb locking',
    organisation: CENTRAL_DYNAMODB,
    tag: 'dev_global/research/1.0',
    expected: {
      bucket: 'itest-central-dev',
      key: 'research/dev-global/terraform.tfstate',
      region: 'us-east-1',
      dynamodbTable: 'itest-central-lock-dev',
      useLockfile: false,
    },
  },
  {
    label: 'regional layout, regional scope, both lockings',
    organisation: REGIONAL_BOTH,
    tag: 'dev_ap-southeast-1/research/1.2.3',
    expected: {
      bucket: 'itest-regional-apse1-dev',
      key: 'research/dev/terraform.tfstate',
      region: 'ap-southeast-1',
      dynamodbTable: 'itest-regional-apse1-lock-dev',
      useLockfile: true,
    },
  },
  {
    label: 'regional layout, regional scope in the global region, both lockings',
    organisation: REGIONAL_BOTH,
    tag: 'dev_eu-central-1/research/1.0',
    expected: {
      bucket: 'itest-regional-euc1-dev',
      key: 'research/dev/terraform.tfstate',
      region: 'eu-central-1',
      dynamodbTable: 'itest-regional-euc1-lock-dev',
      useLockfile: true,
    },
  },
  {
    label: 'regional layout, global scope (next to the regional state of the global region), both lockings',
    organisation: REGIONAL_BOTH,
    tag: 'dev_global/research/1.0',
    expected: {
      bucket: 'itest-regional-euc1-dev',
      key: 'research/dev-global/terraform.tfstate',
      region: 'eu-central-1',
      dynamodbTable: 'itest-regional-euc1-lock-dev',
      useLockfile: true,
    },
  },
];

const LOCKFILE_CASES: LayoutCase[] = [
  {
    label: 'central layout, default (lockfile) locking',
    organisation: CENTRAL_LOCKFILE,
    tag: 'prod_us-east-1/research/3.0',
    expected: {
      bucket: 'itest-lockfile-prod',
      key: 'research/prod-us-east-1/terraform.tfstate',
      region: 'eu-central-1',
      dynamodbTable: null,
      useLockfile: true,
    },
  },
  {
    label: 'regional layout, lockfile locking',
    organisation: REGIONAL_LOCKFILE,
    tag: 'staging_us-west-2/payments/1.0.0-rc.1',
    expected: { bucket: 'itest-rlf-usw2-staging', key: 'payments/staging/terraform.tfstate', region: 'us-west-2', dynamodbTable: null, useLockfile: true },
  },
];

let root = '';
let servers: LocalStateServers | undefined;
let s3: LocalS3;
let dynamodb: LocalDynamoDb;
const organisationDirs = new Map<string, string>();
let caseNumber = 0;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-state-backend-'));
  servers = await startStateServers(path.join(root, 's3rver'));
  s3 = new LocalS3(servers.s3Endpoint);
  dynamodb = new LocalDynamoDb(servers.dynamodbEndpoint);
  for (const organisation of ORGANISATIONS) {
    organisationDirs.set(organisation.name, writeOrganisation(path.join(root, 'organisations'), organisation));
    for (const bucket of organisation.buckets) await s3.createBucket(bucket);
    for (const table of organisation.lockTables) await dynamodb.createLockTable(table);
  }
  await ensureFrameworkBuilt();
}, 180_000);

afterAll(async () => {
  stopAllProcesses();
  await servers?.stop();
  if (root !== '' && process.env.KEEP_INTEGRATION_TMP !== '1') fs.rmSync(root, { recursive: true, force: true });
});

function localServers(): LocalStateServers {
  if (servers === undefined) throw new Error('the local S3 and DynamoDB servers did not start (see beforeAll)');
  return servers;
}

interface StackUnderTest {
  readonly explanation: TagExplanation;
  readonly synthesized: SynthesizedStack;
  /** A new probe workspace whose backend is the synthesized block plus the local endpoints. */
  probe(name: string): ProbeWorkspace;
}

async function stackForTag(organisation: OrganisationFixture, tag: string): Promise<StackUnderTest> {
  const dir = organisationDirs.get(organisation.name);
  if (dir === undefined) throw new Error(`organisation ${organisation.name} was not written`);
  const caseDir = path.join(root, 'cases', `${++caseNumber}-${tag.replace(/[^a-z0-9.-]+/g, '_')}`);
  const explanation = await explainTag(tag, dir);
  const synthesized = await synthesizeForTag(tag, dir, path.join(caseDir, 'cdktf.out'));
  const backend = { ...synthesized.s3Backend, ...localBackendOverrides(localServers()) };
  return { explanation, synthesized, probe: (name) => new ProbeWorkspace(caseDir, name, backend) };
}

/** Entries added, changed or removed between two snapshots, sorted. */
function changedEntries(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

async function stateAt(backend: ReportedBackend): Promise<{ body: string; state: ReturnType<typeof parseState> }> {
  const body = await s3.getObject(backend.bucket, backend.key);
  if (body === undefined) throw new Error(`no state object at s3://${backend.bucket}/${backend.key}`);
  return { body, state: parseState(body) };
}

/** The GIVEN/WHEN/THEN of one layout case: init and apply a probe, then look at both servers. */
async function applyProbeAndCheckWhereStateLanded(c: LayoutCase): Promise<void> {
  // GIVEN what the CLI reports for the tag and the stack the synth app writes for it
  const { explanation, synthesized, probe } = await stackForTag(c.organisation, c.tag);
  const reported = explanation.backend;
  // The state key is named by its alias in the tooling account and the bucket's region.
  expect(reported).toEqual({
    ...c.expected,
    kmsKeyId: expect.stringMatching(new RegExp(`^arn:aws:kms:${c.expected.region}:[0-9]{12}:alias/[a-z0-9-]+-state$`)),
  });
  expect(synthesized.stack).toBe(explanation.stack);
  expect(synthesized.s3Backend).toMatchObject({
    bucket: reported.bucket,
    key: reported.key,
    region: reported.region,
    encrypt: true,
    kms_key_id: reported.kmsKeyId,
  });
  expect(synthesized.s3Backend.dynamodb_table).toBe(reported.dynamodbTable ?? undefined);
  expect(synthesized.s3Backend.use_lockfile).toBe(reported.useLockfile ? true : undefined);
  for (const testOnly of Object.keys(localBackendOverrides(localServers()))) expect(synthesized.s3Backend).not.toHaveProperty(testOnly);

  const objectsBefore = await s3.snapshot();
  const itemsBefore = await dynamodb.snapshot();
  const firstRequest = localServers().s3Requests.length;

  // WHEN terraform initialises that backend and applies a probe to it
  const workspace = probe('probe').writeResources({ probe: { input: c.tag } });
  succeeded(await workspace.init());
  succeeded(await workspace.apply());

  // THEN the only new object on the S3 server is the state, at exactly the reported bucket and key
  expect(changedEntries(objectsBefore, await s3.snapshot())).toEqual([`${reported.bucket}/${reported.key}`]);
  const { body, state } = await stateAt(reported);
  expect(probeResourcesOf(state)).toEqual({ probe: c.tag });
  expect(state.serial).toBe(1);

  // AND every object write went to that key, plus its lock file when use_lockfile is on
  const writes = localServers()
    .s3Requests.slice(firstRequest)
    .filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.bucket}/${r.key}${r.ifNoneMatch !== undefined ? ` If-None-Match:${r.ifNoneMatch}` : ''}`);
  const statePath = `${reported.bucket}/${reported.key}`;
  const expectedWrites = reported.useLockfile
    ? [`DELETE ${statePath}.tflock`, `PUT ${statePath}`, `PUT ${statePath}.tflock If-None-Match:*`]
    : [`PUT ${statePath}`];
  expect([...new Set(writes)].sort()).toEqual(expectedWrites);

  // AND the lock table (if any) holds only the state's digest, the lock having been released
  const changedItems = changedEntries(itemsBefore, await dynamodb.snapshot());
  if (reported.dynamodbTable === null) {
    expect(changedItems).toEqual([]);
  } else {
    expect(changedItems).toEqual([`${reported.dynamodbTable}:${statePath}-md5`]);
    const items = await dynamodb.scan(reported.dynamodbTable);
    expect(items.find((i) => i.lockId === `${statePath}-md5`)?.digest).toBe(md5(body));
    expect(items.find((i) => i.lockId === statePath)).toBeUndefined();
  }
}

describe('state backend of a release tag, with real terraform against local S3 (s3rver) and DynamoDB (dynalite)', () => {
  test.each(DYNAMODB_CASES)(
    '$label: $tag writes its state only at the bucket and key the framework reports',
    async (c) => {
      await applyProbeAndCheckWhereStateLanded(c);
    },
    60_000,
  );

  // s3rver ignores If-None-Match on PUT, so a second writer would get the lock file too: these
  // cases prove the setting is passed through and works without error, not that it excludes anyone.
  test.each(LOCKFILE_CASES)(
    '$label: $tag passes use_lockfile through to terraform init and apply without error (S3 native locking itself is not proven: s3rver ignores conditional writes)',
    async (c) => {
      await applyProbeAndCheckWhereStateLanded(c);
    },
    60_000,
  );
});

interface Started {
  readonly name: string;
  readonly running: RunningProcess;
  result?: ProcessResult;
}

function startApply(name: string, workspace: ProbeWorkspace): Started {
  const started: Started = { name, running: workspace.startApply() };
  void started.running.result.then((r) => {
    started.result = r;
  });
  return started;
}

/** Polls until `condition` holds; fails early when one of `processes` has already ended. */
async function waitUntil(what: string, condition: () => Promise<boolean>, processes: readonly Started[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    const ended = processes.find((p) => p.result !== undefined);
    if (ended?.result !== undefined) throw new Error(`apply ${ended.name} ended while waiting for ${what}\n${describeResult(ended.result)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('DynamoDB state locking, with real terraform against dynalite', () => {
  test('two concurrent applies to the same state key: exactly one fails with a lock error, and no write is lost', async () => {
    // GIVEN a stack with DynamoDB locking whose state already holds one resource (serial 1)
    const { explanation, probe } = await stackForTag(CENTRAL_DYNAMODB, 'qa_us-east-1/research/1.0');
    const backend = explanation.backend;
    const table = backend.dynamodbTable;
    expect(table).not.toBeNull();
    const statePath = `${backend.bucket}/${backend.key}`;
    const seed = probe('seed').writeResources({ base: { input: 'seed' } });
    succeeded(await seed.init());
    succeeded(await seed.apply());
    const seeded = (await stateAt(backend)).state;
    expect(seeded.serial).toBe(1);

    // AND two workspaces that each add their own resource, whose creation says it has started
    // and then holds the apply (and so the lock) until the gate file exists
    const caseDir = path.dirname(seed.dir);
    const gate = path.join(caseDir, 'gate');
    const started = (name: string): string => path.join(caseDir, `started-${name}`);
    const workspaces = {
      a: probe('a').writeResources({ base: { input: 'seed' }, writer_a: { input: 'a', hold: { started: started('a'), release: gate } } }),
      b: probe('b').writeResources({ base: { input: 'seed' }, writer_b: { input: 'b', hold: { started: started('b'), release: gate } } }),
    };
    succeeded(await workspaces.a.init());
    succeeded(await workspaces.b.init());

    // WHEN both apply at once, and the gate opens once one of them has ended (or once both are
    // inside their apply, which only a missing lock allows)
    const applies = [startApply('a', workspaces.a), startApply('b', workspaces.b)];
    let firstToEnd: Started | undefined;
    let bothInside = false;
    try {
      await waitUntil(
        'one apply to end',
        async () => {
          firstToEnd ??= applies.find((p) => p.result !== undefined);
          bothInside = applies.every((p) => fs.existsSync(started(p.name)));
          return firstToEnd !== undefined || bothInside;
        },
        [],
      );
    } finally {
      fs.writeFileSync(gate, '');
    }
    await Promise.all(applies.map((p) => p.running.result));

    // THEN exactly one failed, first, with the lock error, and the other applied
    const failed = applies.filter((p) => p.result?.code !== 0);
    const applied = applies.filter((p) => p.result?.code === 0);
    if (bothInside || failed.length !== 1 || applied.length !== 1) {
      const outcome = applies.map((p) => (p.result === undefined ? `${p.name}: still running` : describeResult(p.result))).join('\n\n');
      const why = bothInside ? 'both applies were past the state lock at the same time' : 'expected exactly one apply to fail on the lock and one to succeed';
      throw new Error(`${why}:\n${outcome}`);
    }
    const [loser] = failed;
    const [winner] = applied;
    expect(firstToEnd?.name).toBe(loser.name);
    const loserStderr = loser.result?.stderr ?? '';
    expect(loserStderr).toContain('Error acquiring the state lock');
    expect(loserStderr).toContain('ConditionalCheckFailedException');
    expect(loserStderr).toMatch(new RegExp(`Path:\\s+${statePath.replace(/[.]/g, '\\.')}\\n`));
    expect(loser.result?.stdout).not.toContain('Apply complete');

    // AND the state holds the winner's write, one serial later, in the same lineage
    const afterRace = await stateAt(backend);
    expect(probeResourcesOf(afterRace.state)).toEqual({ base: 'seed', [`writer_${winner.name}`]: winner.name });
    expect(afterRace.state.serial).toBe(2);
    expect(afterRace.state.lineage).toBe(seeded.lineage);

    // AND the lock is released, with the digest of the winner's state in the table
    const items = (await dynamodb.scan(table ?? '')).filter((i) => i.lockId.startsWith(statePath));
    expect(items.map((i) => i.lockId)).toEqual([`${statePath}-md5`]);
    expect(items[0].digest).toBe(md5(afterRace.body));

    // WHEN the loser applies again, now alone
    succeeded(await workspaces[loser.name as 'a' | 'b'].apply());

    // THEN it succeeds on top of the winner's state: serial went up once per successful apply
    const final = (await stateAt(backend)).state;
    expect(probeResourcesOf(final)).toEqual({ base: 'seed', [`writer_${loser.name}`]: loser.name });
    expect(final.serial).toBe(3);
    expect(final.lineage).toBe(seeded.lineage);
  }, 90_000);

  test('two concurrent applies to different state keys with the same bucket and lock table both succeed', async () => {
    // GIVEN two stacks of one environment whose states share a bucket and a lock table
    const one = await stackForTag(CENTRAL_DYNAMODB, 'qa_us-east-1/risk/1.0');
    const two = await stackForTag(CENTRAL_DYNAMODB, 'qa_eu-central-1/risk/1.0');
    const [b1, b2] = [one.explanation.backend, two.explanation.backend];
    expect(b1.bucket).toBe(b2.bucket);
    expect(b1.dynamodbTable).toBe(b2.dynamodbTable);
    expect(b1.key).not.toBe(b2.key);
    const table = b1.dynamodbTable ?? '';
    const gate = path.join(root, `gate-${caseNumber}`);
    const first = one.probe('one').writeResources({ writer: { input: 'one', hold: { release: gate } } });
    const second = two.probe('two').writeResources({ writer: { input: 'two', hold: { release: gate } } });
    succeeded(await first.init());
    succeeded(await second.init());

    // WHEN both apply at once
    const applies = [startApply('one', first), startApply('two', second)];

    // THEN both hold their lock at the same time
    const lockIds = [`${b1.bucket}/${b1.key}`, `${b2.bucket}/${b2.key}`];
    try {
      await waitUntil(
        'both locks to be held at once',
        async () => {
          const held = (await dynamodb.scan(table)).filter((i) => i.info !== undefined).map((i) => i.lockId);
          return lockIds.every((id) => held.includes(id));
        },
        applies,
      );
    } finally {
      // Let the applies finish either way rather than leave them waiting for afterAll.
      fs.writeFileSync(gate, '');
    }
    const results = await Promise.all(applies.map((p) => p.running.result));

    // AND both succeed, each state at its own key with its own write, and both locks are released
    for (const result of results) succeeded(result);
    for (const [backend, writer] of [
      [b1, 'one'],
      [b2, 'two'],
    ] as const) {
      const { state } = await stateAt(backend);
      expect(probeResourcesOf(state)).toEqual({ writer });
      expect(state.serial).toBe(1);
    }
    const remaining = (await dynamodb.scan(table)).filter((i) => lockIds.includes(i.lockId));
    expect(remaining).toEqual([]);
  }, 90_000);
});
