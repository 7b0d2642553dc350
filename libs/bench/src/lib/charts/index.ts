// Charts of a sweep: pure Vega-Lite spec builders, and the renderer (vega is loaded only when rendering).
export * from './chart-theme';
export * from './ecdf';
export * from './quorum-vs-latency-spec';
export * from './ack-modes-spec';
export * from './latency-distribution-spec';
export * from './consistency-spec';
export * from './render-chart';
export * from './render';
