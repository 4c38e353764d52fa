import { Manifest, TerraformStack } from 'cdktf';
import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';

/**
 * Every place this project relies on what cdktf (and its fork cdktn, which the CDK Terrain engine
 * maps `cdktf` to) does not promise: a private module path, a method's behaviour, the manifest
 * format. Each hook checks that what it relies on is there and fails loudly, naming the engine,
 * when it is not; test/stacks/engine-internals.test.ts runs on both engines.
 */

/** The engine the `cdktf` import resolves to, with its version. */
export function engine(): { name: string; version: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('cdktf/package.json') as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

class EngineHookError extends Error {
  constructor(hook: string, what: string) {
    const { name, version } = engine();
    super(`${hook}: ${name} ${version} ${what}; update stacks/engine-internals.ts for this engine`);
    this.name = 'EngineHookError';
  }
}

/**
 * Turns off the stack trace cdktf captures for every token (Intrinsic, Lazy, dynamic blocks), even
 * with `new App({ stackTraces: false })`, which only drops traces from the metadata. The traces
 * are read only in errors about unresolvable tokens; capturing them is about a third of synth time
 * and memory of a large matrix. MULTIREGION_DEBUG=1 keeps them. cdktf 0.21: a patch of a private
 * module; cdktn 0.24: its CDKTN_DISABLE_CREATION_STACK switch.
 */
export function disableTokenStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.MULTIREGION_DEBUG === '1') return;
  // cdktn has a switch for it, read on every capture (its captureCreationStack calls the module's
  // own captureStackTrace, so patching the export would not reach it).
  if (typeof (stackTrace as { captureCreationStack?: unknown }).captureCreationStack === 'function') {
    process.env.CDKTN_DISABLE_CREATION_STACK = '1';
    return;
  }
  // cdktf 0.21 has none: every token calls the module's exported captureStackTrace.
  if (typeof (stackTrace as { captureStackTrace?: unknown }).captureStackTrace !== 'function') {
    throw new EngineHookError(
      'disableTokenStackTraces',
      'has neither captureCreationStack nor captureStackTrace in lib/tokens/private/stack-trace (the private module tokens record their creation stack with)',
    );
  }
  Object.assign(stackTrace, { captureStackTrace: (): string[] => [] });
}

/**
 * What a stack that never references another stack does in `prepareStack()`: make sure a backend
 * exists, and skip the preparing resolve, which walks every element only to discover cross-stack
 * references (a third of the synth time of a large matrix). On cdktn the preparing resolve also
 * records Terraform-function and provider-feature usage for version validations; workload stacks
 * use neither provider functions nor write-only attributes (docs/engines.md).
 */
export function prepareWithoutCrossStackResolve(stack: TerraformStack): void {
  const ensure = (stack as unknown as { ensureBackendExists?: () => unknown }).ensureBackendExists;
  if (typeof ensure !== 'function') throw new EngineHookError('prepareWithoutCrossStackResolve', 'TerraformStack has no ensureBackendExists()');
  ensure.call(stack);
}

/** Whether the engine still calls `prepareStack()` on every stack before synthesizing (the override's hook point). */
export function enginePreparesStacks(): boolean {
  return typeof (TerraformStack.prototype as unknown as { prepareStack?: unknown }).prepareStack === 'function';
}

export interface StackManifestEntry {
  readonly name: string;
  readonly constructPath: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  readonly stackMetadataPath: string;
  readonly annotations: readonly unknown[];
  readonly dependencies: readonly string[];
}

/**
 * Writes `<outdir>/manifest.json` for stacks synthesized elsewhere (the shards of a parallel
 * synth) with the engine's own Manifest class, so the bytes are what that engine writes itself
 * (cdktf and cdktn format it differently).
 */
export function writeManifest(outdir: string, version: string, stacks: Readonly<Record<string, StackManifestEntry>>): void {
  const manifest = new Manifest(version, outdir, false) as unknown as { stacks?: Record<string, unknown>; writeToFile?: () => void };
  if (typeof manifest.stacks !== 'object' || manifest.stacks === null || typeof manifest.writeToFile !== 'function') {
    throw new EngineHookError('writeManifest', 'Manifest has no stacks map or writeToFile()');
  }
  Object.assign(manifest.stacks, stacks);
  manifest.writeToFile();
}
