import type { ValidateFunction } from 'ajv';
import * as generatedValidators from '../generated/config-validators';

/**
 * Validators of environments/schema/*.json, compiled by Ajv at build time (`npm run generate`):
 * compiling at run time cost ~120 ms of every synth. A unit test fails when they are stale.
 */
export function schemaValidators(): { project: ValidateFunction; environment: ValidateFunction } {
  return generatedValidators as unknown as { project: ValidateFunction; environment: ValidateFunction };
}
