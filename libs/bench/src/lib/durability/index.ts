// The durability sweep: the seeded fault plan, the runner against a narrow cluster seam, the loss check, the summary, the heat map and the reports.
export * from './durability-records';
export * from './durability-target';
export * from './fault-plan';
export * from './loss-check';
export * from './durability-summary';
export * from './run-durability';
export * from './heat-map-chart';
export * from './durability-report';
export * from './durability-cli';
export * from './durability-sweep';
export * from './cluster-target';
export * from './acquire-durability-target';
