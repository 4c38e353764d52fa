import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** One request the local S3 server received, as the tests need to see it. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  /** The object key, '' for bucket-level requests. */
  readonly key: string;
  readonly query: string;
  /** The If-None-Match header, which Terraform sends to create its S3 lock file conditionally. */
  readonly ifNoneMatch: string | undefined;
}

/** s3rver and dynalite listening on 127.0.0.1, each on a free port. */
export interface LocalStateServers {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  /** Every S3 request so far, in arrival order. */
  readonly s3Requests: readonly S3Request[];
  stop(): Promise<void>;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function close(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  // A terraform process killed mid-request may leave a connection open; close() would wait for it.
  server.closeAllConnections();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function describeS3Request(req: http.IncomingMessage): S3Request {
  const url = new URL(req.url ?? '/', 'http://local');
  const [bucket = '', ...key] = url.pathname
    .slice(1)
    .split('/')
    .map((part) => decodeURIComponent(part));
  const ifNoneMatch = req.headers['if-none-match'];
  return {
    method: req.method ?? '',
    bucket,
    key: key.join('/'),
    query: url.search,
    ifNoneMatch: Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch,
  };
}

/**
 * Starts s3rver (filesystem store under `directory`) and dynalite (in memory) on 127.0.0.1.
 *
 * s3rver runs as a request listener of our own HTTP server so that every request can be
 * recorded. dynalite loads classic-level (LevelDB) at require time; its prebuilt binary loads
 * without the install script npm skipped, and with no path dynalite stores in memory-level, so
 * no LevelDB file is ever opened. createTableMs 0 makes tables ACTIVE at once (the default
 * 500 ms leaves them CREATING, and PutItem then fails with ResourceNotFoundException).
 */
export async function startStateServers(directory: string): Promise<LocalStateServers> {
  fs.mkdirSync(directory, { recursive: true });
  const s3rver = new S3rver({ directory, silent: true, vhostBuckets: false });
  const handleS3 = s3rver.callback();
  const s3Requests: S3Request[] = [];
  const s3Server = http.createServer((req, res) => {
    s3Requests.push(describeS3Request(req));
    handleS3(req, res);
  });
  const dynamodbServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const stop = async (): Promise<void> => {
    await Promise.all([close(s3Server), close(dynamodbServer)]);
  };
  try {
    const [s3Endpoint, dynamodbEndpoint] = await Promise.all([listen(s3Server), listen(dynamodbServer)]);
    return { s3Endpoint, dynamodbEndpoint, s3Requests, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
