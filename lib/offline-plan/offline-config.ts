import type { AttributeSchema } from './mock-values';

/**
 * The scratch copy of a synthesized stack that terraform plans and applies offline: no backend,
 * the provider version the plugin directory has, provider 6's per-resource `region` dropped where
 * an older provider cannot take it, and a provider that can reach nothing: fake keys, no assumed
 * role, no account lookup. Everything else is the stack as synthesized.
 */

interface BlockSchema {
  readonly attributes?: Readonly<Record<string, AttributeSchema>>;
}

/** What `terraform providers schema -json` says of hashicorp/aws (the parts read here). */
export interface ProviderSchema {
  readonly resource_schemas: Readonly<Record<string, { readonly block: BlockSchema }>>;
  readonly data_source_schemas: Readonly<Record<string, { readonly block: BlockSchema }>>;
}

/** One argument removed from a scratch copy because the offline provider does not accept it. */
export interface Removal {
  readonly stack: string;
  readonly address: string;
  readonly argument: string;
}

type Json = Record<string, unknown>;
type Blocks = Record<string, Record<string, Json>>;

/** Arguments only provider 6 has; each is dropped where the offline provider cannot take it. */
const PROVIDER_6_ONLY_ARGUMENTS = ['region'];

function configurable(block: BlockSchema | undefined, argument: string): boolean {
  const attribute = block?.attributes?.[argument];
  return attribute !== undefined && (attribute.optional === true || attribute.required === true);
}

/**
 * A copy of one stack for a provider other than the one it was synthesized for: no backend, the
 * aws version constraint relaxed to `version`, and provider-6-only arguments the schema does not
 * have removed (each listed). Nothing else changes.
 */
export function relaxForProvider(stack: string, config: Json, schema: ProviderSchema, version = '>= 5.0'): { config: Json; removals: Removal[] } {
  const copy = JSON.parse(JSON.stringify(config)) as Json;
  const removals: Removal[] = [];
  const terraform = (copy.terraform ?? {}) as { backend?: unknown; required_providers?: { aws?: { version?: string } } };
  delete terraform.backend;
  if (terraform.required_providers?.aws !== undefined) terraform.required_providers.aws.version = version;
  for (const [kind, schemas, prefix] of [
    ['resource', schema.resource_schemas, ''],
    ['data', schema.data_source_schemas, 'data.'],
  ] as const) {
    for (const [type, instances] of Object.entries((copy[kind] ?? {}) as Blocks)) {
      for (const [name, body] of Object.entries(instances)) {
        for (const argument of PROVIDER_6_ONLY_ARGUMENTS) {
          if (argument in body && !configurable(schemas[type]?.block, argument)) {
            delete body[argument];
            removals.push({ stack, address: `${prefix}${type}.${name}`, argument });
          }
        }
      }
    }
  }
  return { config: copy, removals };
}

/**
 * What an aws provider block of a copy keeps: where it deploys and its tags. Everything else could
 * reach AWS or the machine's credentials (an assumed role, profiles and credential files, whose
 * `credential_process` runs a command, endpoints, proxies), including `dynamic` blocks that would
 * write any of them: an allowlist, not a denylist.
 */
const KEPT_PROVIDER_ARGUMENTS = ['alias', 'region', 'default_tags', 'ignore_tags'];

/** Fake keys and every lookup skipped: the provider starts without credentials or network. */
const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'mock-access-key',
  secret_key: 'mock-secret-key',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  max_retries: 1,
};

/** The provider blocks of a scratch copy: each `aws` block keeps its alias, region and tags and can reach nothing. */
export function offlineProviders(config: Json): Json {
  const copy = JSON.parse(JSON.stringify(config)) as Json;
  const providers = (copy.provider ?? {}) as Record<string, Json[]>;
  providers.aws = (providers.aws ?? [{}]).map((block) => {
    const kept = Object.fromEntries(Object.entries(block).filter(([key]) => KEPT_PROVIDER_ARGUMENTS.includes(key)));
    return { ...kept, ...OFFLINE_PROVIDER_SETTINGS };
  });
  copy.provider = providers;
  return copy;
}

/** The aliases of the stack's aws provider blocks; '' is the default configuration. */
export function awsProviderAliases(config: Json): string[] {
  const blocks = ((config.provider ?? {}) as Record<string, Json[]>).aws ?? [{}];
  return blocks.map((block) => (typeof block.alias === 'string' ? block.alias : ''));
}

/** Where the stack's provider deploys: the first aws block's region and allowed account. */
export function providerTarget(config: Json): { region: string | undefined; account: string | undefined } {
  const [block] = ((config.provider ?? {}) as Record<string, Json[]>).aws ?? [];
  const region = typeof block?.region === 'string' ? block.region : undefined;
  const allowed = block?.allowed_account_ids;
  const account = Array.isArray(allowed) && typeof allowed[0] === 'string' ? allowed[0] : undefined;
  return { region, account };
}

/** The providers a stack requires besides the built-in `terraform`, by local name (aws, random...). */
export function requiredProviders(config: Json): Record<string, { source?: string; version?: string }> {
  return ((config.terraform as Json | undefined)?.required_providers ?? {}) as Record<string, { source?: string; version?: string }>;
}

/**
 * `terraform test` destroys what its apply run created, and `prevent_destroy` refuses that: the
 * scratch copy drops it (only there: the mocked resources exist nowhere). Returns the addresses.
 */
export function allowTeardown(config: Json): string[] {
  const addresses: string[] = [];
  for (const [type, instances] of Object.entries((config.resource ?? {}) as Blocks)) {
    for (const [name, body] of Object.entries(instances)) {
      const lifecycle = body.lifecycle as Json | undefined;
      if (lifecycle?.prevent_destroy !== undefined) {
        delete lifecycle.prevent_destroy;
        addresses.push(`${type}.${name}`);
      }
    }
  }
  return addresses;
}
