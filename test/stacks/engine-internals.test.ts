import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, TerraformOutput } from 'cdktf';
import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';
import { Intrinsic } from 'cdktf/lib/tokens/private/intrinsic';
import {
  disableTokenStackTraces,
  engine,
  enginePreparesStacks,
  prepareWithoutCrossStackResolve,
  writeManifest,
  type StackManifestEntry,
} from '../../stacks/engine-internals';

/**
 * The engine hooks, on whichever engine runs the suite (`npm test`: cdktf; `npm run test:cdktn`:
 * cdktn). Each test fails when the internal the hook relies on disappears or changes behaviour.
 */
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'multiregion-engine-'));

describe(`engine hooks (${engine().name} ${engine().version})`, () => {
  test('GIVEN the engine switch WHEN cdktf is imported THEN it is the engine the suite runs on', () => {
    expect(engine().name).toBe(process.env.MULTIREGION_ENGINE === 'cdktn' ? 'cdktn' : 'cdktf');
  });

  test('GIVEN token creation WHEN stack traces are disabled THEN tokens stop recording their creation stack', () => {
    // The unpatched function, from a fresh copy of the module (test/setup-engine.ts patched this one).
    let original = stackTrace.captureStackTrace;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      original = (require('cdktf/lib/tokens/private/stack-trace') as typeof stackTrace).captureStackTrace;
    });
    const restore = (): void => {
      Object.assign(stackTrace, { captureStackTrace: original });
      delete process.env.CDKTN_DISABLE_CREATION_STACK;
    };
    try {
      restore();
      expect(new Intrinsic('before').creationStack.length).toBeGreaterThan(0);
      disableTokenStackTraces({});
      expect(new Intrinsic('after').creationStack).toEqual([]);
      restore();
      disableTokenStackTraces({ MULTIREGION_DEBUG: '1' });
      expect(new Intrinsic('debug').creationStack.length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });

  test('GIVEN an app WHEN it synthesizes THEN it calls prepareStack on every stack, which the hook turns into just ensuring a backend', () => {
    expect(enginePreparesStacks()).toBe(true);
    const prepared: string[] = [];
    class Probe extends TerraformStack {
      public prepareStack(): void {
        prepared.push(this.node.id);
        prepareWithoutCrossStackResolve(this);
      }
    }
    const outdir = tmp();
    const app = new App({ outdir, stackTraces: false });
    new TerraformOutput(new Probe(app, 'one'), 'x', { value: 1 });
    new TerraformOutput(new Probe(app, 'two'), 'x', { value: 2 });
    app.synth();
    expect(prepared.sort()).toEqual(['one', 'two']);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'one', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.terraform.backend)).toEqual(['local']);
  });

  test('GIVEN stacks an app synthesized WHEN their manifest is written again by the hook THEN it is byte for byte what the engine wrote', () => {
    const outdir = tmp();
    const app = new App({ outdir, stackTraces: false });
    for (const id of ['b-stack', 'a-stack']) new TerraformOutput(new TerraformStack(app, id), 'x', { value: id });
    app.synth();
    const written = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const parsed = JSON.parse(written) as { version: string; stacks: Record<string, StackManifestEntry> };
    const again = tmp();
    writeManifest(again, parsed.version, parsed.stacks);
    expect(fs.readFileSync(path.join(again, 'manifest.json'), 'utf8')).toBe(written);
  });
});
