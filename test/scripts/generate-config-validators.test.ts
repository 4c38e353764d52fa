import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_VALIDATORS, generateConfigValidatorsSource } from '../../scripts/generate-config-validators';
import { REPO_ROOT } from '../support/org';

describe('the build-time config validators', () => {
  test('GIVEN the JSON Schemas WHEN compiled again THEN the committed validators are identical (run npm run generate otherwise)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, GENERATED_VALIDATORS), 'utf8');
    expect(committed === generateConfigValidatorsSource(REPO_ROOT)).toBe(true);
  });
});
