import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';

/**
 * cdktf records a full stack trace for every token it creates (Intrinsic, Lazy, dynamic blocks),
 * even with `new App({ stackTraces: false })`, which only drops traces from the metadata. The
 * traces are read only in error messages about unresolvable tokens. Capturing them is about a
 * third of synth time and a third of the memory of a large matrix, so synth turns it off unless
 * MULTIREGION_DEBUG=1 asks for the traces.
 */
export function disableTokenStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.MULTIREGION_DEBUG === '1') return;
  Object.assign(stackTrace, { captureStackTrace: (): string[] => [] });
}
