// `bench compare`: two sweep result folders side by side. Pure pieces (validation, table,
// findings, chart spec, markdown) and the runner that reads and writes the folders.
export * from './compare-error';
export * from './run-input';
export * from './compare-table';
export * from './compare-format';
export * from './compare-findings';
export * from './compare-chart';
export * from './compare-md';
export * from './comparison';
export * from './compare-cli';
export * from './run-compare';
