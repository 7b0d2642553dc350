// The soak benchmark (`nx run bench:soak`): its command line, the run, and the pure pieces it is built from.
export * from './soak-records';
export * from './soak-cli';
export * from './open-loop-schedule';
export * from './soak-summary';
export * from './samples-csv';
export * from './memory-chart';
export * from './soak-report';
export * from './progress-line';
export * from './open-loop-writer';
export * from './node-sampler';
export * from './run-soak';
