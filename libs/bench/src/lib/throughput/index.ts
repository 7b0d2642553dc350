// The throughput benchmark (`nx run bench:throughput`): its command line, the run, and the pure pieces it is built from.
export * from './throughput-records';
export * from './throughput-cli';
export * from './resp';
export * from './cpu-reading';
export * from './load-outcome';
export * from './throughput-table';
export * from './throughput-chart';
export * from './run-throughput';
