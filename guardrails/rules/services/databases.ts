import type { JsonRule } from '../../rule';
import { resourcesOf, type TerraformJson } from '../../terraform-json';
import { isTrue, label } from '../helpers';

const instancesAndClusters = (json: TerraformJson) => [...resourcesOf(json, 'aws_db_instance'), ...resourcesOf(json, 'aws_rds_cluster')];
const nameOf = (r: { body: Record<string, unknown> }) => (typeof r.body.identifier === 'string' ? 'identifier' : 'cluster_identifier');

export const RDS_ENCRYPTED: JsonRule = {
  id: 'MR-RDS-1',
  pack: 'security',
  severity: 'error',
  problem:
    'an RDS instance or Aurora cluster without storage encryption keeps its data, logs, backups and snapshots readable to anyone who gets a copy; it cannot be turned on later',
  fix: 'set storage_encrypted = true (with kms_key_id for a customer-managed key)',
  checkov: ['CKV_AWS_16', 'CKV_AWS_96'],
  check: (json) =>
    instancesAndClusters(json)
      // Aurora Serverless v1 is always encrypted.
      .filter((db) => !isTrue(db.body.storage_encrypted) && db.body.engine_mode !== 'serverless')
      .map((db) => ({ address: db.address, message: `database ${label(db, nameOf(db))} has no storage encryption` })),
};

export const RDS_NOT_PUBLIC: JsonRule = {
  id: 'MR-RDS-2',
  pack: 'security',
  severity: 'error',
  problem: 'a publicly accessible database gets a public address: only its security group stands between it and the internet',
  fix: 'set publicly_accessible = false and reach it from inside the VPC',
  checkov: ['CKV_AWS_17'],
  check: (json) =>
    [...resourcesOf(json, 'aws_db_instance'), ...resourcesOf(json, 'aws_rds_cluster_instance')]
      .filter((db) => isTrue(db.body.publicly_accessible))
      .map((db) => ({ address: db.address, message: `database ${label(db, nameOf(db))} is publicly accessible` })),
};

export const RDS_BACKUPS: JsonRule = {
  id: 'MR-RDS-3',
  pack: 'reliability',
  severity: 'error',
  problem: 'a backup retention of 0 days turns off automated backups and point-in-time restore',
  fix: 'set backup_retention_period to 1 day or more (7 or more in production)',
  checkov: [],
  check: (json) =>
    instancesAndClusters(json)
      .filter((db) => db.body.backup_retention_period === 0 || db.body.backup_retention_period === '0')
      .map((db) => ({ address: db.address, message: `database ${label(db, nameOf(db))} keeps no automated backups` })),
};

export const RDS_PRODUCTION_PROTECTION: JsonRule = {
  id: 'MR-RDS-4',
  pack: 'reliability',
  severity: 'error',
  problem: 'a production database without deletion protection is one mistaken destroy away from data loss',
  fix: 'set deletion_protection = true',
  checkov: ['CKV_AWS_293', 'CKV_AWS_139'],
  check: (json, context) =>
    context.production
      ? instancesAndClusters(json)
          .filter((db) => !isTrue(db.body.deletion_protection))
          .map((db) => ({ address: db.address, message: `database ${label(db, nameOf(db))} in production ${context.environment} has no deletion protection` }))
      : [],
};

export const RDS_PRODUCTION_MULTI_AZ: JsonRule = {
  id: 'MR-RDS-5',
  pack: 'reliability',
  severity: 'error',
  problem: 'a production RDS instance in one availability zone goes down with its zone (Aurora clusters spread their storage across zones themselves)',
  fix: 'set multi_az = true',
  checkov: ['CKV_AWS_157'],
  check: (json, context) =>
    context.production
      ? resourcesOf(json, 'aws_db_instance')
          .filter((db) => !isTrue(db.body.multi_az) && db.body.replicate_source_db === undefined)
          .map((db) => ({ address: db.address, message: `database ${label(db, 'identifier')} in production ${context.environment} runs in one zone` }))
      : [],
};

export const ELASTICACHE_ENCRYPTED: JsonRule = {
  id: 'MR-EC-1',
  pack: 'security',
  severity: 'error',
  problem: 'an ElastiCache replication group without encryption at rest and in transit exposes cached data on disk and on the network',
  fix: 'set at_rest_encryption_enabled = true and transit_encryption_enabled = true',
  checkov: ['CKV_AWS_29', 'CKV_AWS_30'],
  check: (json) =>
    resourcesOf(json, 'aws_elasticache_replication_group').flatMap((group) => {
      const missing = ['at_rest_encryption_enabled', 'transit_encryption_enabled'].filter((field) => !isTrue(group.body[field]));
      return missing.length > 0
        ? [{ address: group.address, message: `replication group ${label(group, 'replication_group_id')} lacks ${missing.join(' and ')}` }]
        : [];
    }),
};
