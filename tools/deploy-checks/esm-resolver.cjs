// kubernetes-models and its helpers export only an `import` condition, which jest (running
// CommonJS) doesn't ask for. Resolve those packages with it, and everything else as usual; the
// files are then turned into CommonJS by swc (transformIgnorePatterns in jest.config.cjs).
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex|ip-regex)(\/|$)/;

module.exports = (request, options) =>
  ESM_ONLY.test(request)
    ? options.defaultResolver(request, { ...options, conditions: ['import', 'node', 'default'] })
    : options.defaultResolver(request, options);
