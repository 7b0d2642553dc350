// The run's report (markdown, pure) and its summary CSV.
export * from './report-md';
export * from './findings';
export * from './summary-csv';
export * from './html';
