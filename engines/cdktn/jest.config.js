'use strict';
// The project's jest projects, run on the CDK Terrain engine: the same tests, with `cdktf`,
// `@cdktf/provider-aws` and `constructs` resolved to the engine's packages (jest resolves modules
// itself, so register.js, which serves plain node and child processes, does not reach it).
const path = require('node:path');
const base = require('../../jest.config.js');

const modules = path.join(__dirname, 'node_modules');
const moduleNameMapper = {
  '^cdktf$': path.join(modules, 'cdktn'),
  '^cdktf/(.*)$': path.join(modules, 'cdktn', '$1'),
  '^@cdktf/provider-aws$': path.join(modules, '@cdktn', 'provider-aws'),
  '^@cdktf/provider-aws/(.*)$': path.join(modules, '@cdktn', 'provider-aws', '$1'),
  '^constructs$': path.join(modules, 'constructs'),
};

module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '..', '..'),
  projects: base.projects.map((project) => ({ ...project, rootDir: path.resolve(__dirname, '..', '..'), moduleNameMapper })),
};
