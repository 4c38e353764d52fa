import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../lib/errors';
import { loadCatalogue } from '../../../lib/abs/catalogue';
import { matchInstanceTypes } from '../../../lib/abs/matcher';
import { buildCatalogue, main, parseBuildArgs } from '../../../scripts/build-catalogue';

const ROOT = path.resolve(__dirname, '../../..');

function record(name: string, vcpus: number, mib: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    InstanceType: name,
    CurrentGeneration: true,
    BareMetal: false,
    BurstablePerformanceSupported: false,
    HibernationSupported: true,
    SupportedUsageClasses: ['on-demand', 'spot'],
    VCpuInfo: { DefaultVCpus: vcpus },
    MemoryInfo: { SizeInMiB: mib },
    ProcessorInfo: { Manufacturer: 'Intel', SupportedArchitectures: ['x86_64'] },
    EbsInfo: { EbsOptimizedInfo: { BaselineBandwidthInMbps: 650 } },
    NetworkInfo: { NetworkPerformance: 'Up to 10 Gigabit', MaximumNetworkInterfaces: 3, NetworkCards: [{ BaselineBandwidthInGbps: 0.75 }] },
    ...extra,
  };
}

/** A tiny data set in both input forms of each kind, as the AWS CLI and the shared data write them. */
function writeFixture(dir: string): { keyed: string; cli: string; offerings: string; prices: string } {
  const write = (file: string, json: unknown): string => {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, JSON.stringify(json, null, 1));
    return full;
  };
  // The keyed form (shared data): the object key is the type name.
  const keyed = write('keyed/instance-types.json', {
    'm5.large': record('m5.large', 2, 8192),
    't3.micro': record('t3.micro', 2, 1024, { BurstablePerformanceSupported: true, SupportedUsageClasses: ['on-demand'] }),
  });
  fs.writeFileSync(path.join(dir, 'keyed/README.md'), 'Sources: commit of 2026-08-02, offerings of 2026-08-22, prices generated 2026-07-20.\n');
  // The CLI form, one page; m5.large again with other facts: the first file's record wins.
  const cli = write('cli/page-1.json', {
    InstanceTypes: [record('m7g.large', 2, 8192, { ProcessorInfo: { Manufacturer: 'AWS', SupportedArchitectures: ['arm64'] } }), record('m5.large', 64, 1)],
    NextToken: 'abc',
  });
  write('offerings/us-east-1.json', [
    { InstanceType: 'm5.large', Location: 'us-east-1' },
    { InstanceType: 'm7g.large', Location: 'us-east-1' },
    { InstanceType: 't3.micro', Location: 'us-east-1' },
    { InstanceType: 'zz9.large', Location: 'us-east-1' },
  ]);
  write('offerings/eu-west-1.json', {
    InstanceTypeOfferings: [{ InstanceType: 'm7g.large', LocationType: 'region', Location: 'eu-west-1' }],
  });
  const prices = write('prices.json', { prices: { 'us-east-1': { 'm5.large': 0.096, 'm7g.large': 0.0816, 'gone.large': 1 } } });
  return { keyed, cli, offerings: path.join(dir, 'offerings'), prices };
}

describe('build-catalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-catalogue-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN the keyed and the CLI forms of both inputs WHEN built THEN every type, region and price lands in the catalogue', () => {
    const f = writeFixture(dir);
    const { content, warnings } = buildCatalogue({ typesFiles: [f.keyed, f.cli], offeringsPaths: [f.offerings], pricesFile: f.prices });

    expect(content.types.map((t) => t.name)).toEqual(['m5.large', 'm7g.large', 't3.micro']);
    expect(content.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(content.pricedRegions).toEqual(['us-east-1']);
    const byName = new Map(content.types.map((t) => [t.name, t]));
    expect(byName.get('m5.large')).toMatchObject({ vcpus: 2, memoryMib: 8192, regions: ['us-east-1'], onDemandPrices: { 'us-east-1': 0.096 } });
    expect(byName.get('m7g.large')).toMatchObject({ cpuManufacturer: 'amazon-web-services', architectures: ['arm64'], regions: ['eu-west-1', 'us-east-1'] });
    expect(byName.get('t3.micro')).toMatchObject({ burstable: true, usageClasses: ['on-demand'], onDemandPrices: {} });
    expect(warnings).toEqual([
      '1 offered type(s) have no describe-instance-types record and were left out: zz9.large',
      '1 price(s) for types without a describe-instance-types record were left out',
    ]);
  });

  test('GIVEN no --data-date WHEN built THEN the latest date in the README beside the types file is used', () => {
    const f = writeFixture(dir);
    expect(buildCatalogue({ typesFiles: [f.keyed], offeringsPaths: [f.offerings] }).content.dataDate).toBe('2026-08-22');
    expect(buildCatalogue({ typesFiles: [f.keyed], offeringsPaths: [f.offerings], dataDate: '2026-09-01' }).content.dataDate).toBe('2026-09-01');
  });

  test('GIVEN no --data-date and no README WHEN built THEN a UserError asks for the flag', () => {
    const f = writeFixture(dir);
    expect(() => buildCatalogue({ typesFiles: [f.cli], offeringsPaths: [f.offerings] })).toThrow(/--data-date is required/);
  });

  test('GIVEN availability-zone offerings WHEN built THEN they are rejected: the catalogue needs regions', () => {
    const f = writeFixture(dir);
    fs.writeFileSync(
      path.join(f.offerings, 'az.json'),
      JSON.stringify([{ InstanceType: 'm5.large', LocationType: 'availability-zone', Location: 'us-east-1a' }]),
    );
    expect(() => buildCatalogue({ typesFiles: [f.keyed], offeringsPaths: [f.offerings] })).toThrow(
      /az\.json: entry 0 has Location 'us-east-1a', which is not a region/,
    );
  });

  test('GIVEN a types file of no known form WHEN built THEN the UserError names the file', () => {
    const f = writeFixture(dir);
    const odd = path.join(dir, 'odd.json');
    fs.writeFileSync(odd, '"just a string"');
    expect(() => buildCatalogue({ typesFiles: [odd], offeringsPaths: [f.offerings], dataDate: '2026-01-01' })).toThrow(UserError);
    expect(() => buildCatalogue({ typesFiles: [odd], offeringsPaths: [f.offerings], dataDate: '2026-01-01' })).toThrow(
      /odd\.json: expected describe-instance-types output/,
    );
  });

  test('GIVEN the command WHEN run twice THEN the file is byte-identical, loads, and the matcher can use it', () => {
    const f = writeFixture(dir);
    const out = path.join(dir, 'data/instance-catalogue.json');
    const argv = ['--types', f.keyed, '--types', f.cli, '--offerings', f.offerings, '--prices', f.prices, `--out=${out}`];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      main(argv);
      const first = fs.readFileSync(out);
      main(argv);
      expect(fs.readFileSync(out).equals(first)).toBe(true);
      expect(String(stdout.mock.calls[0][0])).toMatch(/^wrote .*instance-catalogue\.json: 3 types, 2 regions, prices for 1 regions, data of 2026-08-22/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const catalogue = loadCatalogue(out);
    expect(catalogue.generatedFrom).toMatch(/^aws ec2 describe-instance-types: instance-types\.json, page-1\.json \(3 types\)/);
    expect(matchInstanceTypes({ vcpu_count: { min: 2 }, memory_mib: { min: 4096 } }, { catalogue, region: 'eu-west-1' }).types).toEqual(['m7g.large']);
    const priced = matchInstanceTypes({ vcpu_count: { min: 2 }, memory_mib: { min: 4096 } }, { catalogue, region: 'us-east-1' });
    // m7g.large at $0.0816 is the reference; m5.large at $0.096 is within 20%.
    expect(priced).toMatchObject({ types: ['m5.large', 'm7g.large'], priceProtectionApplied: true });
  });

  test.each<[string[], RegExp]>([
    [['--bogus'], /^unknown flag '--bogus' \(expected --types, --offerings, --prices, --data-date or --out\)$/],
    [['--types'], /^--types needs a value$/],
    [['--types', 'a.json', '--offerings', 'o', '--out', 'x', '--out', 'y'], /^--out given twice$/],
    [['--offerings', 'o', '--out', 'x'], /^--types is required/],
    [['--types', 'a.json', '--out', 'x'], /^--offerings is required/],
    [['--types', 'a.json', '--offerings', 'o'], /^--out is required/],
    [['--types', 'a.json', '--offerings', 'o', '--out', 'x', '--data-date', '2026-02-30'], /^--data-date '2026-02-30' is not a date/],
    [['stray'], /^unexpected argument 'stray'/],
  ])('GIVEN the arguments %j WHEN parsed THEN one UserError line: %s', (argv, expected) => {
    let error: unknown;
    try {
      parseBuildArgs(argv);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems).toHaveLength(1);
    expect((error as UserError).problems[0]).toMatch(expected);
  });

  test('GIVEN good arguments WHEN parsed THEN repeatable flags collect and --flag=value works', () => {
    expect(
      parseBuildArgs([
        '--types',
        'a.json',
        '--types=b.json',
        '--offerings',
        'o1',
        '--offerings',
        'o2',
        '--prices',
        'p.json',
        '--data-date',
        '2026-08-22',
        '--out',
        'c.json',
      ]),
    ).toEqual({
      typesFiles: ['a.json', 'b.json'],
      offeringsPaths: ['o1', 'o2'],
      pricesFile: 'p.json',
      dataDate: '2026-08-22',
      out: 'c.json',
    });
  });

  test('GIVEN a bad flag WHEN the script runs THEN it prints one line and exits 2', () => {
    // The compiled script, as `npm run catalogue` runs it (jest's global setup has built dist/).
    const run = spawnSync(process.execPath, ['dist/scripts/build-catalogue.js', '--bogus'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("error: unknown flag '--bogus' (expected --types, --offerings, --prices, --data-date or --out)\n");
  }, 30_000);
});
