import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ENVIRONMENT_SCHEMA,
  GENERATED_ENVIRONMENT_TYPES,
  GENERATED_PROJECT_TYPES,
  GENERATED_VALIDATORS,
  GENERATED_WORKLOAD_CATALOG,
  GENERATED_WORKLOAD_SETTINGS_TYPES,
  generateConfigTypesSources,
  generateConfigValidatorsSource,
  generateEnvironmentSchemaSource,
  generateWorkloadCatalogSource,
  generateWorkloadSettingsTypesSource,
  layerSchema,
  readWorkloadFolders,
  regionMapPaths,
} from '../../scripts/generate-config-validators';
import { generatedWorkloadCatalog } from '../../lib/config';
import { schemaTypesSource, typeName } from '../../scripts/schema-types';
import { WORKLOADS } from '../../workloads/registry';
import { REPO_ROOT } from '../support/org';

describe('the build-time config validators (npm run generate)', () => {
  test.each([
    [GENERATED_VALIDATORS, () => generateConfigValidatorsSource(REPO_ROOT)],
    [GENERATED_WORKLOAD_CATALOG, () => generateWorkloadCatalogSource(REPO_ROOT)],
    [ENVIRONMENT_SCHEMA, () => generateEnvironmentSchemaSource(REPO_ROOT)],
    [GENERATED_PROJECT_TYPES, () => generateConfigTypesSources(REPO_ROOT).project],
    [GENERATED_ENVIRONMENT_TYPES, () => generateConfigTypesSources(REPO_ROOT).environment],
    [GENERATED_WORKLOAD_SETTINGS_TYPES, () => generateWorkloadSettingsTypesSource(REPO_ROOT)],
  ])('GIVEN the JSON Schemas WHEN %s is generated again THEN the committed file is identical (run npm run generate otherwise)', (file, generate) => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    expect(committed === generate()).toBe(true);
  });

  test('GIVEN the workload folders WHEN compared with workloads/registry.ts and the catalogue THEN they name the same workloads with the same parts', () => {
    const folders = readWorkloadFolders(REPO_ROOT);
    const catalog = generatedWorkloadCatalog();
    expect(WORKLOADS.map((w) => w.name).sort()).toEqual(folders.map((f) => f.name));
    for (const folder of folders) {
      const definition = WORKLOADS.find((w) => w.name === folder.name)!;
      expect({ name: folder.name, regional: definition.regional !== undefined, global: definition.global !== undefined }).toEqual({
        name: folder.name,
        regional: folder.regional,
        global: folder.global,
      });
      expect(catalog[folder.name]).toMatchObject({ regional: folder.regional, global: folder.global });
      for (const file of ['README.md', 'settings.schema.json', 'index.ts'])
        expect(fs.existsSync(path.join(REPO_ROOT, 'workloads', folder.name, file))).toBe(true);
    }
  });

  test('GIVEN a workload schema WHEN scanned THEN its objects keyed by region are found at their paths', () => {
    const region = { propertyNames: { pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' }, additionalProperties: { type: 'string' } };
    expect(
      regionMapPaths({
        type: 'object',
        properties: { https: { type: 'object', properties: { certificateArns: region, other: { type: 'object' } } }, top: region },
      }),
    ).toEqual([['https', 'certificateArns'], ['top']]);
    expect(regionMapPaths({ type: 'object', properties: { tags: { propertyNames: { pattern: '^[a-z]+$' } } } })).toEqual([]);
  });

  test('GIVEN a workload schema WHEN made a layer schema for the editor THEN types stay and whole-settings rules go', () => {
    const schema = {
      $schema: 'x',
      type: 'object',
      required: ['a'],
      oneOf: [{ required: ['a'] }],
      properties: { a: { type: 'string', enum: ['required'] }, b: { type: 'object', required: ['c'], properties: { c: { type: 'integer' } } } },
    };
    expect(layerSchema(schema)).toEqual({
      type: 'object',
      properties: { a: { type: 'string', enum: ['required'] }, b: { type: 'object', properties: { c: { type: 'integer' } } } },
    });
  });

  test("GIVEN the editor schema WHEN read THEN it lists every workload and each one's settings", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ENVIRONMENT_SCHEMA), 'utf8'));
    const names = readWorkloadFolders(REPO_ROOT).map((f) => f.name);
    expect(schema.definitions.workloadName.enum).toEqual(names);
    expect(Object.keys(schema.definitions.workloadSettings.properties)).toEqual(names);
    expect(schema.definitions.workloadSettings.properties['web-service'].properties.https.properties.sslPolicy.enum).toContain(
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
    );
  });
});

describe('raw config types from the JSON Schemas', () => {
  test('GIVEN a schema WHEN typed THEN properties, required fields, enums, maps, lists and refs become TypeScript', () => {
    const source = schemaTypesSource(
      {
        description: 'A file.',
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { description: 'The name.', type: 'string' },
          'odd-key': { enum: ['a', 'b'] },
          sizes: { type: 'array', items: { type: 'integer' } },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
          team: { $ref: '#/definitions/team-settings' },
        },
        definitions: { 'team-settings': { type: 'object', additionalProperties: false, properties: { on: { const: true } } } },
      },
      'File',
      'x.json',
    );
    expect(source).toContain(
      '/** A file. */\nexport type File = {\n  /** The name. */\n  name: string;\n  "odd-key"?: "a" | "b";\n  sizes?: number[];\n  tags?: Record<string, string>;\n  team?: TeamSettings;\n};',
    );
    expect(source).toContain('export type TeamSettings = {\n  on?: true;\n};');
    expect(typeName('webTier')).toBe('WebTier');
  });

  test('GIVEN defaults filled in WHEN typed THEN a property with a default is present', () => {
    const schema = { type: 'object', properties: { retentionDays: { type: 'integer', default: 90 }, domain: { type: 'string' } } };
    expect(schemaTypesSource(schema, 'S', 'x.json', { defaultsFilled: true })).toContain('  retentionDays: number;\n  domain?: string;');
    expect(schemaTypesSource(schema, 'S', 'x.json')).toContain('  retentionDays?: number;');
  });

  test('GIVEN an unsupported reference WHEN typed THEN generation stops', () => {
    expect(() => schemaTypesSource({ type: 'object', properties: { a: { $ref: 'other.json#/x' } } }, 'File', 'x.json')).toThrow(
      /unsupported \$ref other\.json#\/x/,
    );
  });
});
