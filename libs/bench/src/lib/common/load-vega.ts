/**
 * Loads vega and vega-lite. Both are ESM-only with a top-level await, so `require()` cannot
 * load them: this must stay a real dynamic `import()`. tsx (which runs the bench) keeps it as
 * one; jest's swc transform rewrites it into `require()`, which fails, so nothing under jest
 * calls this (the spec builders never import it). Kept in its own file so no other module
 * depends on how it is loaded.
 */
export type Vega = typeof import('vega');
export type VegaLite = typeof import('vega-lite');

export interface VegaModules {
  vega: Vega;
  vegaLite: VegaLite;
}

let loading: Promise<VegaModules> | undefined;

export function loadVega(): Promise<VegaModules> {
  loading ??= Promise.all([import('vega'), import('vega-lite')]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
    (error: unknown) => {
      loading = undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Could not load vega/vega-lite (${message}). They are ESM-only: load them through a real dynamic import(), ` +
          'e.g. run with tsx; CommonJS transforms such as jest + swc turn import() into require(), which cannot load them.',
        { cause: error },
      );
    },
  );
  return loading;
}
