/**
 * `report.md` and `report.html` of a durability sweep: what was done, whether the model held,
 * the heat map, the losses per (W, R), every crash. The page is report.md's own sections in
 * HTML with the heat map's SVG inline, so the two never disagree; it loads nothing. Pure.
 */
import { quantile } from 'simple-statistics';
import { fmtMs, joinWords, markdownTable, plural } from '../common/format';
import { escapeHtml, markdownBlocksToHtml, markdownSections } from '../common/markdown-html';
import { reportPageHead } from '../sweep/report/html/page-assets';
import type { CrashRecord, DurabilityCell, DurabilityConfig } from './durability-records';
import { sweepVerdict } from './durability-summary';
import { DURABILITY_HEATMAP_CHART } from './heat-map-chart';

export interface DurabilityReportInput {
  config: DurabilityConfig;
  cells: readonly DurabilityCell[];
  crashes: readonly CrashRecord[];
  /** Chart files written beside the report. */
  charts: readonly string[];
}

const HEAT_MAP_SECTION = 'Heat map';
const cellName = (c: { w: number; r: number }) => `W=${c.w} R=${c.r}`;
const followerList = (fs: readonly number[]) => (fs.length === 0 ? '—' : fs.join(', '));
const pct = (fraction: number) => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '—');

/** The findings, most important first: did the model hold, what the unsafe cells lost, how recovery went. */
export function durabilityFindings(cells: readonly DurabilityCell[], crashes: readonly CrashRecord[]): string[] {
  const verdict = sweepVerdict(cells);
  const findings: string[] = [];
  const safe = cells.filter((c) => c.modelVerdict === 'no loss');
  const unsafe = cells.filter((c) => c.modelVerdict === 'may lose');
  if (verdict.violated.length > 0) {
    const lost = verdict.violated.reduce((sum, c) => sum + c.lost, 0);
    findings.push(
      `**The model was violated**: ${plural(lost, 'acknowledged write')} lost where ` +
        `W + R > N promises none, at ${joinWords(verdict.violated.map(cellName))}. ` +
        `This is a bug in recovery; the writes are in \`writes.json\`, ` +
        `the crashes in \`crashes.json\`, each read in \`checks.json\`.`,
    );
  } else if (safe.length > 0) {
    const acked = safe.reduce((sum, c) => sum + c.acknowledged, 0);
    const where = safe.length === 1 ? 'the one cell' : `any of the ${safe.length} cells`;
    findings.push(
      `**The model held**: no acknowledged write was lost in ${where} with W + R > N (${plural(acked, 'acknowledged write')} checked there).`,
    );
  }
  if (unsafe.length > 0) {
    const lost = unsafe.reduce((sum, c) => sum + c.lost, 0);
    const acked = unsafe.reduce((sum, c) => sum + c.acknowledged, 0);
    const losing = unsafe.filter((c) => c.lost > 0);
    const spared = unsafe.filter((c) => c.lost === 0);
    findings.push(
      `Where W + R ≤ N the model allows losses, ` +
        `and the fault pattern found them: ${plural(lost, 'acknowledged write')} of ` +
        `${acked} (${pct(acked === 0 ? NaN : lost / acked)}) lost, ` +
        `in ${losing.length} of ${plural(unsafe.length, 'cell')}.`,
    );
    if (spared.length > 0)
      findings.push(
        `${joinWords(spared.map(cellName))} lost nothing although the model allows it: ` +
          `a loss needs a crash right after writes only the cut-off followers hold.`,
      );
  }
  const unread = verdict.unchecked.filter((c) => c.unreadable > 0);
  const unacked = verdict.unchecked.filter((c) => c.unreadable === 0);
  if (unread.length > 0)
    findings.push(
      `**Not every acknowledged write could be read back** at ${joinWords(unread.map(cellName))}: those cells prove nothing (see \`checks.json\`).`,
    );
  if (unacked.length > 0)
    findings.push(
      `**No write was acknowledged** at ${joinWords(unacked.map(cellName))}, ` +
        `so nothing was tested there: the leader refused them (see the errors in \`writes.json\`).`,
    );
  const recovered = crashes.filter((c) => c.recovered);
  const times = recovered.map((c) => c.recoveryMs).filter((ms): ms is number => ms !== null);
  if (crashes.length > 0) {
    const timing =
      times.length > 0
        ? `; from the SIGKILL to serving again took ${fmtMs(quantile(times, 0.5))} ms at the median, ${fmtMs(Math.max(...times))} ms at most`
        : '';
    const underCut = crashes.filter((c) => !c.recoveredUnderCut && c.recovered).length;
    findings.push(
      `${recovered.length} of ${plural(crashes.length, 'crash', 'crashes')} ended with the leader serving again${timing}.` +
        (underCut > 0
          ? ` ${plural(underCut, 'recovery', 'recoveries')} completed only once every follower was healed.`
          : ''),
    );
  }
  return findings;
}

function cellsTable(cells: readonly DurabilityCell[]): string {
  return markdownTable(
    ['W', 'R', 'W + R', 'model', 'acknowledged', 'lost', 'share lost', 'crashes', 'recovered', 'status'],
    cells.map((c) => [
      String(c.w),
      String(c.r),
      String(c.w + c.r),
      c.modelVerdict,
      String(c.acknowledged),
      String(c.lost),
      pct(c.lostFraction),
      String(c.crashes),
      String(c.recoveries),
      c.status === 'violated' ? '**violated**' : c.status,
    ]),
  );
}

function crashesTable(crashes: readonly CrashRecord[]): string {
  return markdownTable(
    [
      'W',
      'R',
      'crash',
      'cut before',
      'holders',
      'cut in recovery',
      'acked before',
      'recovered',
      'recovery ms',
      'epoch',
    ],
    crashes.map((c) => [
      String(c.w),
      String(c.r),
      String(c.index + 1),
      followerList(c.cutBefore),
      followerList(c.holders),
      followerList(c.recoveryCut),
      String(c.acknowledgedBefore),
      c.recovered ? (c.recoveredUnderCut ? 'yes' : 'after heal') : '**no**',
      c.recoveryMs === null ? '—' : fmtMs(c.recoveryMs),
      c.epoch === null ? '—' : String(c.epoch),
    ]),
  );
}

export function buildDurabilityMarkdown({ config, cells, crashes, charts }: DurabilityReportInput): string {
  const png = `${DURABILITY_HEATMAP_CHART}.png`;
  const lines = [
    '# Durability sweep: acknowledged writes after leader crashes',
    '',
    `For every write quorum W (${config.quorums.join(', ')}) and recovery quorum R (${config.recoveryQuorums.join(', ')}), ` +
      `${config.writes} writes to keys of their own and ${plural(config.crashes, 'leader crash', 'leader crashes')} on ${config.followers} followers ` +
      `(runtime ${config.runtime}, delay ${config.delay}, ack mode ${config.ackMode}, seed ${config.seed}). ` +
      'Before each crash N − W followers are cut off (a partition: both ends keep running), so the last writes are acknowledged by W followers only; ' +
      'while the restarted leader recovers with RECOVERY_QUORUM=R, as many of those W followers as R allows are cut off. ' +
      'Afterwards every acknowledged write is read back from the leader.',
    '',
    '## Findings',
    '',
    ...durabilityFindings(cells, crashes).map((f) => `- ${f}`),
    '',
    `## ${HEAT_MAP_SECTION}`,
    '',
    ...(charts.includes(png) ? [`![Acknowledged writes lost per W and R](${png})`, ''] : []),
    'Rows are W, columns R. Each cell reads "lost / acknowledged" with the model\'s verdict under it; the colour is the share lost. ' +
      'Cells with a green border have W + R > N: any R followers include one that acknowledged every acknowledged write, so they must read 0. ' +
      'A red border marks a cell that lost writes it was promised to keep. The cells at the bottom left, W + R ≤ N, are where losses are allowed; ' +
      'how many appear depends on the fault pattern, which here is the worst the model permits. Grey: no write was acknowledged.',
    '',
    '## Losses per (W, R)',
    '',
    cellsTable(cells),
    '',
    '## Crashes',
    '',
    '"Holders" acknowledged the writes between the cut and the crash; "cut in recovery" could not answer the restarted leader.',
    '',
    crashesTable(crashes),
    '',
    '## Files',
    '',
    "- `config.json`: the run's settings",
    '- `writes.json`: every write (key, value, outcome, epoch, LSN, acks, the followers cut at the time)',
    '- `crashes.json`: every crash (the cuts, the recovery, the epoch after it)',
    '- `checks.json`: the final read of every acknowledged write (present, lost, changed, unreadable)',
    '- `durability-summary.csv`, `durability-summary.json`: one row per (W, R)',
    ...charts.map((f) => `- \`${f}\``),
    '',
  ];
  return lines.join('\n');
}

/** report.md as one page, the heat map's SVG inline in place of its PNG. */
export function buildDurabilityHtml(input: DurabilityReportInput, heatMapSvg: string | null): string {
  const { title, intro, sections } = markdownSections(buildDurabilityMarkdown(input));
  const body = sections.map((s) => {
    const lines = s.heading === HEAT_MAP_SECTION ? s.lines.filter((l) => !l.startsWith('![')) : s.lines;
    const figure = s.heading === HEAT_MAP_SECTION && heatMapSvg ? `<figure>${heatMapSvg}</figure>\n` : '';
    return `<section>\n<h2>${escapeHtml(s.heading)}</h2>\n${figure}${markdownBlocksToHtml(lines)}\n</section>`;
  });
  return [
    ...reportPageHead(title, escapeHtml),
    markdownBlocksToHtml(intro),
    ...body,
    '<footer>Self-contained: the page makes no network request. The same report as Markdown: <a href="report.md">report.md</a>.</footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
