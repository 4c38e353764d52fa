import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';

/**
 * Just enough of the S3 and DynamoDB HTTP APIs to prepare and inspect the local servers, with
 * Signature V4 signed requests (the AWS SDK is not a dependency). Neither s3rver nor dynalite
 * verifies V4 signatures, but dynalite rejects requests without a well-formed one.
 */

/** The key pair s3rver knows (its built-in dummy account); dynalite accepts any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const SIGNING_REGION = 'us-east-1';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signatureV4Headers(method: string, url: URL, service: string, headers: Record<string, string>, body: string): Record<string, string> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.[0-9]{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(body);
  const all: Record<string, string> = { ...lowerCaseKeys(headers), host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  const names = Object.keys(all).sort();
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [method, url.pathname, query, ...names.map((n) => `${n}:${all[n].trim()}`), '', names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${SIGNING_REGION}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${LOCAL_CREDENTIALS.secretAccessKey}`, day), SIGNING_REGION), service), 'aws4_request');
  const signature = hmac(signingKey, stringToSign).toString('hex');
  return {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** One signed request; a fresh connection each time so no socket outlives the servers. */
export function signedRequest(method: string, url: URL, service: 's3' | 'dynamodb', headers: Record<string, string> = {}, body = ''): Promise<HttpResponse> {
  const signed = signatureV4Headers(method, url, service, { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers: signed, agent: false, timeout: 10_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.href} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

function expectStatus(response: HttpResponse, what: string, ...ok: number[]): HttpResponse {
  if (!ok.includes(response.status)) throw new Error(`${what}: HTTP ${response.status}: ${response.body.slice(0, 500)}`);
  return response;
}

const xmlText = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function xmlElements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

/** A stored S3 object as ListObjectsV2 reports it. */
export interface S3ObjectSummary {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
}

/** A path-style S3 client for a local endpoint. */
export class LocalS3 {
  constructor(private readonly endpoint: string) {}

  private url(bucket: string, key?: string, query: Record<string, string> = {}): URL {
    const path = key === undefined ? `/${rfc3986(bucket)}` : `/${rfc3986(bucket)}/${key.split('/').map(rfc3986).join('/')}`;
    const url = new URL(path, this.endpoint);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  async createBucket(bucket: string): Promise<void> {
    expectStatus(await signedRequest('PUT', this.url(bucket), 's3'), `CreateBucket ${bucket}`, 200);
  }

  async listBuckets(): Promise<string[]> {
    const response = expectStatus(await signedRequest('GET', new URL('/', this.endpoint), 's3'), 'ListBuckets', 200);
    return xmlElements(response.body, 'Bucket')
      .flatMap((bucket) => xmlElements(bucket, 'Name').map(xmlText))
      .sort();
  }

  async listObjects(bucket: string): Promise<S3ObjectSummary[]> {
    const response = expectStatus(
      await signedRequest('GET', this.url(bucket, undefined, { 'list-type': '2', 'max-keys': '1000' }), 's3'),
      `ListObjectsV2 ${bucket}`,
      200,
    );
    if (xmlElements(response.body, 'IsTruncated')[0] !== 'false') throw new Error(`ListObjectsV2 ${bucket}: listing is truncated`);
    return xmlElements(response.body, 'Contents').map((entry) => ({
      bucket,
      key: xmlText(xmlElements(entry, 'Key')[0] ?? ''),
      etag: xmlText(xmlElements(entry, 'ETag')[0] ?? '').replace(/"/g, ''),
    }));
  }

  /** Every object of every bucket, keyed `<bucket>/<key>`, valued by ETag. */
  async snapshot(): Promise<Map<string, string>> {
    const objects = new Map<string, string>();
    for (const bucket of await this.listBuckets()) {
      for (const object of await this.listObjects(bucket)) objects.set(`${bucket}/${object.key}`, object.etag);
    }
    return objects;
  }

  /** The object's body, or undefined when there is no such object. */
  async getObject(bucket: string, key: string): Promise<string | undefined> {
    const response = expectStatus(await signedRequest('GET', this.url(bucket, key), 's3'), `GetObject ${bucket}/${key}`, 200, 404);
    return response.status === 404 ? undefined : response.body;
  }
}

/** An item of a Terraform lock table: the lock itself (with Info) or a state digest (`-md5`). */
export interface LockTableItem {
  readonly lockId: string;
  readonly info?: string;
  readonly digest?: string;
}

type AttributeValue = { readonly S?: string };

/** A DynamoDB JSON-protocol client for a local endpoint. */
export class LocalDynamoDb {
  constructor(private readonly endpoint: string) {}

  private async call(operation: string, payload: object): Promise<Record<string, unknown>> {
    const response = await signedRequest(
      'POST',
      new URL('/', this.endpoint),
      'dynamodb',
      { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
      JSON.stringify(payload),
    );
    expectStatus(response, `DynamoDB ${operation}`, 200);
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  /** Creates a table shaped as Terraform's S3 backend expects (hash key LockID, a string) and waits until it is ACTIVE. */
  async createLockTable(table: string): Promise<void> {
    await this.call('CreateTable', {
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let attempt = 0; attempt < 100; attempt++) {
      const described = (await this.call('DescribeTable', { TableName: table })) as { Table?: { TableStatus?: string } };
      if (described.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`DynamoDB table ${table} did not become ACTIVE`);
  }

  async listTables(): Promise<string[]> {
    const listed = (await this.call('ListTables', {})) as { TableNames?: string[] };
    return [...(listed.TableNames ?? [])].sort();
  }

  async scan(table: string): Promise<LockTableItem[]> {
    const scanned = (await this.call('Scan', { TableName: table, ConsistentRead: true })) as {
      Items?: Record<string, AttributeValue>[];
      LastEvaluatedKey?: unknown;
    };
    if (scanned.LastEvaluatedKey !== undefined) throw new Error(`Scan ${table}: result is paginated`);
    return (scanned.Items ?? [])
      .map((item) => ({
        lockId: item.LockID?.S ?? '',
        ...(item.Info?.S !== undefined ? { info: item.Info.S } : {}),
        ...(item.Digest?.S !== undefined ? { digest: item.Digest.S } : {}),
      }))
      .sort((a, b) => a.lockId.localeCompare(b.lockId));
  }

  /** Every item of every table, keyed `<table>:<LockID>`, valued by its other attributes. */
  async snapshot(): Promise<Map<string, string>> {
    const items = new Map<string, string>();
    for (const table of await this.listTables()) {
      for (const item of await this.scan(table)) items.set(`${table}:${item.lockId}`, JSON.stringify({ info: item.info, digest: item.digest }));
    }
    return items;
  }
}
