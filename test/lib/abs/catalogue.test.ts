import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { catalogueAgeDays, catalogueAgeWarning, defaultCatalogue, loadCatalogue } from '../../../lib/abs/catalogue';
import { packageRoot } from '../../../lib/project-root';
import { decodeCatalogue, encodeCatalogue } from '../../../lib/abs/catalogue-format';

const ROOT = path.resolve(__dirname, '../../..');

describe('the committed catalogue', () => {
  const catalogue = defaultCatalogue();

  test('GIVEN the committed file WHEN loaded THEN it holds the 1,373 types of the shared data, dated 2026-08-22', () => {
    expect(catalogue.types).toHaveLength(1373);
    expect(catalogue.dataDate).toBe('2026-08-22');
    expect(catalogue.regions).toHaveLength(30);
    expect(catalogue.pricedRegions).toEqual(['us-east-1', 'us-gov-east-1', 'us-gov-west-1']);
  });

  test('GIVEN the committed file WHEN measured THEN it stays well under 1 MB', () => {
    expect(fs.statSync(path.join(ROOT, 'data/instance-catalogue.json')).size).toBeLessThan(500_000);
  });

  test('GIVEN the catalogue WHEN asked twice THEN the same object is returned (read once per process)', () => {
    expect(defaultCatalogue()).toBe(catalogue);
  });

  test('GIVEN m5.large WHEN looked up THEN its facts match describe-instance-types', () => {
    expect(catalogue.byName.get('m5.large')).toEqual({
      name: 'm5.large',
      family: 'm5',
      vcpus: 2,
      memoryMib: 8192,
      architectures: ['x86_64'],
      cpuManufacturer: 'intel',
      burstable: false,
      bareMetal: false,
      // The shared snapshot reports m5 as previous generation.
      currentGeneration: false,
      hibernationSupported: true,
      baselineEbsBandwidthMbps: 650,
      networkBaselineGbps: 0.75,
      maxNetworkInterfaces: 3,
      usageClasses: ['on-demand', 'spot'],
      regions: expect.arrayContaining(['us-east-1', 'eu-west-1', 'sa-east-1']),
      onDemandPrices: { 'us-east-1': 0.096, 'us-gov-east-1': 0.121, 'us-gov-west-1': 0.121 },
    });
  });

  test.each([
    ['g6f.large', 'amd', { count: 1, types: ['gpu'], manufacturers: ['nvidia'], names: ['l4'] }],
    ['trn1.2xlarge', 'intel', { count: 1, types: ['inference'], manufacturers: ['amazon-web-services'], names: ['trainium'] }],
    ['vt1.3xlarge', 'intel', { types: ['media'], manufacturers: ['xilinx'], names: ['u30'] }],
  ])('GIVEN %s WHEN looked up THEN its CPU and accelerators are ABS-shaped', (name, cpu, accelerators) => {
    const info = catalogue.byName.get(name);
    expect(info?.cpuManufacturer).toBe(cpu);
    expect(info?.accelerators).toMatchObject(accelerators);
  });

  test('GIVEN the committed file WHEN decoded and encoded again THEN it is byte-identical (deterministic format)', () => {
    const text = fs.readFileSync(path.join(ROOT, 'data/instance-catalogue.json'), 'utf8');
    expect(encodeCatalogue(decodeCatalogue(JSON.parse(text), 'committed'))).toBe(text);
  });
});

describe('catalogue age', () => {
  const catalogue = defaultCatalogue();

  test.each([
    ['2026-08-22T00:00:00Z', 0, false],
    ['2026-11-20T12:00:00Z', 90, false],
    ['2026-11-21T00:00:00Z', 91, true],
    ['2027-08-22T00:00:00Z', 365, true],
  ])('GIVEN now = %s WHEN the age is asked THEN it is %s days and warns: %s', (now, days, warns) => {
    expect(catalogueAgeDays(new Date(now), catalogue)).toBe(days);
    const warning = catalogueAgeWarning(new Date(now), catalogue);
    if (warns) expect(warning).toMatch(new RegExp(`^the instance-type catalogue is ${days} days old \\(data of 2026-08-22\\)`));
    else expect(warning).toBeUndefined();
  });
});

describe('finding and reading catalogue files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN compiled code deep under dist/ WHEN the package root is looked for THEN the directory holding package.json is found', () => {
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    fs.mkdirSync(path.join(dir, 'dist/lib/abs'), { recursive: true });
    expect(packageRoot(path.join(dir, 'dist/lib/abs'))).toBe(dir);
    expect(packageRoot(path.join(ROOT, 'lib/abs'))).toBe(ROOT);
  });

  test('GIVEN a missing file WHEN loaded THEN the error names it and how to build it', () => {
    expect(() => loadCatalogue(path.join(dir, 'none.json'))).toThrow(/cannot read the instance catalogue .*none\.json.*npm run catalogue/);
  });

  test('GIVEN a file of another format WHEN loaded THEN it is rejected with the reason', () => {
    const file = path.join(dir, 'old.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'something-else/0' }));
    expect(() => loadCatalogue(file)).toThrow(/old\.json is not a valid instance catalogue: format is "something-else\/0"/);
  });
});
