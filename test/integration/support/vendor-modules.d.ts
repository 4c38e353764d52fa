// The parts of s3rver and dynalite (npm devDependencies without type definitions) that the
// integration tests use.

declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    /** Where the filesystem store keeps buckets and objects. */
    readonly directory: string;
    readonly silent?: boolean;
    /** Treat `<bucket>.<host>` requests as virtual-hosted; path-style is all the tests need. */
    readonly vhostBuckets?: boolean;
    readonly resetOnClose?: boolean;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    /** A request listener for `http.createServer()` (documented alias: getMiddleware). */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    reset(): void;
  }

  export = S3rver;
}

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; omitted, dynalite keeps everything in memory (memory-level). */
    readonly path?: string;
    /** How long new tables stay CREATING. @default 500 */
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;

  export = dynalite;
}
