// Charts of a sweep: pure Vega-Lite spec builders, and the renderer (vega is loaded only when rendering).
export * from '../../common/chart-theme';
export * from '../../common/ecdf';
export * from './quorum-vs-latency-chart';
export * from './ack-modes-chart';
export * from './latency-distribution-chart';
export * from './consistency-chart';
export * from '../../common/render-chart';
export * from './render-charts';
