// Maps the `paths` of tsconfig.base.json to jest's moduleNameMapper, so tests import libs by
// their public names exactly as the apps do.
const fs = require('node:fs');
const path = require('node:path');

function pathsToModuleNameMapper(tsconfigPath) {
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8'));
  const root = path.dirname(tsconfigPath);
  const mapper = {};
  for (const [name, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${name.replace(/[/\\-]/g, '\\$&')}$`] = path.join(root, target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
