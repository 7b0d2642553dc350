// The bare relay floor (`nx run bench:floor`): the same topology and delays as the store, no framework.
export * from './floor-summary';
export * from './floor-cli';
export * from './relay-sources';
export * from './relay-topology';
export * from './run-floor';
