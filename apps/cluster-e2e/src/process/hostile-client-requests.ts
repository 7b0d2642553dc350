/**
 * Arbitraries of hostile client requests to the leader (issue #5). Each request is built from
 * parts (key, quorum, ack mode, content type and encoding, body), and each part knows whether it
 * is valid, invalid, or something the design leaves open ("unknown"). From the parts follows a
 * verdict: a request with an invalid part must be refused, one with only valid parts must be
 * accepted, anything else may go either way (and is then held to the general properties only).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DEFAULT_LIMITS, KEY_PATTERN } from '@quorum-kv/replication-protocol';
import { describeRequest, type RawRequest } from '../support';
import { bodyArb, validBodyArb, type Part, type Validity } from './hostile-client-bodies';

/** `write`: must answer 200 and write; `refuse`: must answer a definite 4xx; `either`: one of the two. */
export type Verdict = 'write' | 'refuse' | 'either';

export interface ClientPlan {
  request: RawRequest;
  verdict: Verdict;
  /** The key the leader must use, when the path names it unambiguously (percent-encoded). */
  key: string | null;
  keyValidity: Validity;
  /** The quorum an accepted write must report, when the test can tell it. */
  w: number | null;
  /** Labels of the parts, for the failure message. */
  parts: string[];
}

const VALID_KEY_POOL = [
  'k0',
  'k1',
  'k2',
  'k3',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '..',
  '.',
  '~',
  '-',
  '_',
  ':',
  'a.b:c~d-e_f',
  'k'.repeat(DEFAULT_LIMITS.maxKeyLength),
];
const TRICKY_KEYS = [
  '',
  '/',
  'a/b',
  '%',
  '%2F',
  '%00',
  '../x',
  '..%2F..',
  'a b',
  'ключ',
  'k🔑',
  '\u0000',
  'a\nb',
  'a?b',
  'a#b',
  'k'.repeat(DEFAULT_LIMITS.maxKeyLength + 1),
  'k'.repeat(3000),
];

export function isValidKey(key: string): boolean {
  return key.length >= 1 && key.length <= DEFAULT_LIMITS.maxKeyLength && KEY_PATTERN.test(key);
}

/** Percent-encodes every UTF-8 byte except RFC 3986's unreserved characters (all of them when `all`). */
export function percentEncode(text: string, all = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += !all && /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface KeyPart extends Part {
  /** The key the server decodes, when the test knows it. */
  decoded: string | null;
  /** The raw text may split the path (`?`, `#`): then nothing else about the request is certain. */
  splitsPath: boolean;
}

function encodedKey(text: string, all: boolean): KeyPart {
  const decoded = Buffer.from(text, 'utf8').toString('utf8'); // a lone surrogate becomes U+FFFD, as on the wire
  return {
    value: percentEncode(text, all),
    decoded,
    validity: isValidKey(decoded) ? 'valid' : 'invalid',
    label: `key ${JSON.stringify(text.slice(0, 40))}${all ? ' (all encoded)' : ''}`,
    splitsPath: false,
  };
}

/** Printable ASCII sent as is (so `/`, `%`, `?`, `#`, `..` reach the router raw), the rest encoded. */
function rawKey(text: string): KeyPart {
  const path = [...text].map((c) => (/^[!-~]$/.test(c) ? c : percentEncode(c))).join('');
  const plain = /^[A-Za-z0-9\-._~]*$/.test(text);
  return {
    value: path,
    decoded: plain ? text : null,
    validity: plain ? (isValidKey(text) ? 'valid' : 'invalid') : 'unknown',
    label: `raw key path ${JSON.stringify(path.slice(0, 40))}`,
    splitsPath: /[?#]/.test(text),
  };
}

const printableAscii = fc.string({
  unit: fc.constantFrom(...'abcAZ09-._~/%?#:;=&+,@!$*()[]{}<>|\\^`"\''.split('')),
  minLength: 0,
  maxLength: 12,
});

const validKeyArb: fc.Arbitrary<KeyPart> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...VALID_KEY_POOL), fc.boolean()).map(([k, all]) => encodedKey(k, all)),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:~-]{1,16}$/).map((k) => encodedKey(k, false)) },
);

const keyArb: fc.Arbitrary<KeyPart> = fc.oneof(
  { weight: 10, arbitrary: validKeyArb },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_KEYS).map((k) => encodedKey(k, false)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 12 })),
        fc.constantFrom('', '/', '%', '..', '__proto__'),
        fc.boolean(),
      )
      .map(([text, extra, all]) => encodedKey(text + extra, all)),
  },
  { weight: 2, arbitrary: printableAscii.map(rawKey) },
);

/** The oracle for one quorum value (query or header text): one integer from 1 to N, no sign, no leading zero. */
function quorumValidity(text: string, followerCount: number): { validity: Validity; w: number | null } {
  if (!/^[0-9]+$/.test(text)) return { validity: 'invalid', w: null };
  const w = Number(text);
  if (w < 1 || w > followerCount) return { validity: 'invalid', w: null };
  if (text.startsWith('0')) return { validity: 'unknown', w: null }; // "01": lenient or strict are both fine
  return { validity: 'valid', w };
}

interface QuorumSource {
  /** Absent, one value, or the same parameter / header given several times. */
  values: string[];
}

function quorumTextArb(followerCount: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: followerCount }).map(String) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '0',
        String(followerCount + 1),
        '-1',
        '1.5',
        'abc',
        '',
        '1e0',
        '0x1',
        '+1',
        '01',
        '１',
        '99999999999999999999',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 5 }) },
  );
}

function quorumSourceArb(followerCount: number): fc.Arbitrary<QuorumSource> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant<QuorumSource>({ values: [] }) },
    { weight: 4, arbitrary: quorumTextArb(followerCount).map((v) => ({ values: [v] })) },
    {
      weight: 1,
      arbitrary: fc.array(quorumTextArb(followerCount), { minLength: 2, maxLength: 3 }).map((values) => ({ values })),
    },
  );
}

interface QuorumSources {
  query: QuorumSource;
  header: QuorumSource;
}

/** Quorums that must be accepted: none, or one value in 1..N from the query, the header, or both agreeing. */
function validQuorumArb(followerCount: number): fc.Arbitrary<QuorumSources> {
  const none: QuorumSource = { values: [] };
  return fc
    .tuple(
      fc.integer({ min: 1, max: followerCount }).map(String),
      fc.constantFrom('query', 'header', 'both'),
      fc.constantFrom('', ' ', '\t'),
    )
    .map(([w, where, pad]): QuorumSources =>
      where === 'query'
        ? { query: { values: [w] }, header: none }
        : { query: where === 'both' ? { values: [w] } : none, header: { values: [pad + w + pad] } },
    );
}

function anyQuorumArb(followerCount: number): fc.Arbitrary<QuorumSources> {
  return fc.record({ query: quorumSourceArb(followerCount), header: quorumSourceArb(followerCount) });
}

/** The quorum of `?w=` and `X-Write-Quorum` together: both must agree, each given at most once. */
function quorumPart(
  query: QuorumSource,
  header: QuorumSource,
  followerCount: number,
  defaultW: number,
): Part<number | null> {
  const label = `w query ${JSON.stringify(query.values)} header ${JSON.stringify(header.values)}`;
  // Node trims a header value's surrounding spaces and tabs (they are not part of the value).
  const sources = [query.values, header.values.map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''))].filter(
    (values) => values.length > 0,
  );
  if (sources.length === 0) return { value: defaultW, validity: 'valid', label };
  if (sources.some((values) => values.length > 1)) return { value: null, validity: 'invalid', label };
  const parsed = sources.map((values) => quorumValidity(values[0] as string, followerCount));
  if (parsed.some((p) => p.validity === 'invalid')) return { value: null, validity: 'invalid', label };
  if (parsed.some((p) => p.validity === 'unknown')) return { value: null, validity: 'unknown', label };
  const [first, second] = parsed.map((p) => p.w as number);
  if (second !== undefined && first !== second) return { value: null, validity: 'invalid', label };
  return { value: first as number, validity: 'valid', label };
}

const validAckArb: fc.Arbitrary<Part<string[]>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Part<string[]>>({ value: [], validity: 'valid', label: 'no ack' }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('received', 'applied')
      .map((a): Part<string[]> => ({ value: [a], validity: 'valid', label: `ack ${a}` })),
  },
);

const ackArb: fc.Arbitrary<Part<string[]>> = fc.oneof(
  { weight: 9, arbitrary: validAckArb },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('eventually', '', 'Applied', 'RECEIVED', 'received ', '1')
      .map((a): Part<string[]> => ({ value: [a], validity: 'invalid', label: `ack ${JSON.stringify(a)}` })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<Part<string[]>>({
      value: ['received', 'received'],
      validity: 'invalid',
      label: 'ack twice',
    }),
  },
);

/** Query parameters the leader ignores: must change nothing about the verdict. */
const harmlessQueryArb = fc.subarray(
  // (Array-style ones such as w[]=1 are refused since issue #12: see bounds.e2e.ts.)
  ['trace=1', 'trace=true', 'trace=nope', 'W=9', 'foo=bar', '__proto__=1', 'constructor=x'],
  { maxLength: 3 },
);

const validContentTypeArb: fc.Arbitrary<Part<string | undefined>> = fc
  .constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset=utf8',
  )
  .map((v) => ({ value: v, validity: 'valid' as Validity, label: `type ${v}` }));

const contentTypeArb: fc.Arbitrary<Part<string | undefined>> = fc.oneof(
  { weight: 8, arbitrary: validContentTypeArb },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/jsonx',
        'application/json-patch+json',
        'text/json',
      )
      .map((v) => ({ value: v, validity: 'invalid' as Validity, label: `type ${v ?? '(none)'}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'Application/JSON',
        'application/json ; charset="utf-8"',
        'application/json; foo=bar',
        '*/*',
        'application/*',
        'application/vnd.api+json',
        '',
      )
      .map((v) => ({ value: v, validity: 'unknown' as Validity, label: `type ${JSON.stringify(v)}` })),
  },
);

const validContentEncodingArb: fc.Arbitrary<Part<string | undefined>> = fc
  .constantFrom(undefined, undefined, undefined, 'identity', 'IDENTITY')
  .map((v) => ({ value: v, validity: 'valid' as Validity, label: `encoding ${v ?? '(none)'}` }));

const contentEncodingArb: fc.Arbitrary<Part<string | undefined>> = fc.oneof(
  { weight: 8, arbitrary: validContentEncodingArb },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('gzip', 'deflate', 'br', 'gzip, identity', 'x-unknown', 'compress')
      .map((v) => ({ value: v, validity: 'invalid' as Validity, label: `encoding ${v}` })),
  },
);

const METHODS_ON_KV = fc.oneof(
  { weight: 10, arbitrary: fc.constant('PUT') },
  { weight: 3, arbitrary: fc.constant('DELETE') },
  { weight: 3, arbitrary: fc.constant('GET') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'HEAD',
      'POST',
      'PATCH',
      'OPTIONS',
      'TRACE',
      'PROPFIND',
      'MKCOL',
      'LOCK',
      'PURGE',
      'SEARCH',
    ),
  },
);

/** A header carries bytes: non-ASCII text goes as its UTF-8 bytes (what a hostile client would send). */
function asHeaderText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function combine(...validities: Validity[]): Validity {
  if (validities.includes('invalid')) return 'invalid';
  return validities.includes('unknown') ? 'unknown' : 'valid';
}

const toVerdict = (v: Validity): Verdict => (v === 'valid' ? 'write' : v === 'invalid' ? 'refuse' : 'either');

function withToString(plan: Omit<ClientPlan, typeof fc.toStringMethod>): ClientPlan {
  return Object.assign(plan, {
    [fc.toStringMethod]: () => `${plan.verdict}: ${describeRequest(plan.request)} [${plan.parts.join('; ')}]`,
  });
}

const PARTS = ['key', 'quorum', 'ack', 'contentType', 'contentEncoding', 'body'] as const;
type PartName = (typeof PARTS)[number];

/**
 * Which parts of a request are drawn from everything (the rest only from valid values): none,
 * one, or all. Drawing every part from everything would make almost every request invalid in
 * several ways at once, and then nothing would test that valid requests are accepted and
 * really written, nor that one invalid part alone is enough to refuse a request.
 */
const hostilePartsArb: fc.Arbitrary<ReadonlySet<PartName>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(new Set<PartName>()) },
  { weight: 4, arbitrary: fc.constantFrom(...PARTS).map((part) => new Set<PartName>([part])) },
  { weight: 2, arbitrary: fc.constant(new Set<PartName>(PARTS)) },
);

/** A request on `/kv/:key`: the client API, any of its parts possibly hostile. */
export function kvPlanArb(followerCount: number, defaultW: number): fc.Arbitrary<ClientPlan> {
  const pick = <T>(hostile: ReadonlySet<PartName>, part: PartName, any: fc.Arbitrary<T>, valid: fc.Arbitrary<T>) =>
    hostile.has(part) ? any : valid;
  return hostilePartsArb
    .chain((hostile) =>
      fc.record({
        method: METHODS_ON_KV,
        key: pick(hostile, 'key', keyArb, validKeyArb),
        w: pick(hostile, 'quorum', anyQuorumArb(followerCount), validQuorumArb(followerCount)),
        ack: pick(hostile, 'ack', ackArb, validAckArb),
        harmless: harmlessQueryArb,
        contentType: pick(hostile, 'contentType', contentTypeArb, validContentTypeArb),
        contentEncoding: pick(hostile, 'contentEncoding', contentEncodingArb, validContentEncodingArb),
        body: pick(hostile, 'body', bodyArb, validBodyArb),
        chunked: fc.boolean(),
        gzipBody: fc.boolean(),
      }),
    )
    .map(({ w: { query: wQuery, header: wHeader }, ...p }) => {
      const quorum = quorumPart(wQuery, wHeader, followerCount, defaultW);
      const params = [
        ...wQuery.values.map((v) => `w=${percentEncode(v)}`),
        ...p.ack.value.map((a) => `ack=${percentEncode(a)}`),
        ...p.harmless,
      ];
      const headers: Record<string, string | string[]> = {};
      if (p.contentType.value !== undefined) headers['content-type'] = p.contentType.value;
      if (p.contentEncoding.value !== undefined) headers['content-encoding'] = p.contentEncoding.value;
      if (wHeader.values.length === 1) headers['x-write-quorum'] = asHeaderText(wHeader.values[0] as string);
      else if (wHeader.values.length > 1) headers['x-write-quorum'] = wHeader.values.map(asHeaderText);
      const compress = p.gzipBody && p.contentEncoding.value === 'gzip' && p.body.value !== undefined;
      const body = compress ? gzipSync(Buffer.from(p.body.value as string | Buffer)) : p.body.value;
      const request: RawRequest = {
        method: p.method,
        path: `/kv/${p.key.value}${params.length > 0 ? `?${params.join('&')}` : ''}`,
        headers,
        chunked: p.chunked,
      };
      if (body !== undefined && p.method !== 'HEAD') request.body = body;
      const method = p.method;
      let validity: Validity;
      if (method === 'PUT')
        validity = combine(
          p.key.validity,
          p.contentType.validity,
          p.contentEncoding.validity,
          p.body.validity,
          quorum.validity,
          p.ack.validity,
        );
      else if (method === 'DELETE') validity = combine(p.key.validity, quorum.validity, p.ack.validity);
      else if (method === 'GET' || method === 'HEAD')
        validity = p.key.validity === 'invalid' ? 'invalid' : 'unknown'; // a read: 200 or 404
      else validity = 'invalid'; // no other method is allowed on /kv/:key
      if (p.key.splitsPath) validity = 'unknown';
      return withToString({
        request,
        verdict: toVerdict(validity),
        key: p.key.splitsPath ? null : p.key.decoded,
        keyValidity: p.key.validity,
        w: quorum.validity === 'valid' && !p.key.splitsPath ? quorum.value : null,
        parts: [
          p.key.label,
          quorum.label,
          p.ack.label,
          p.contentType.label,
          p.contentEncoding.label,
          p.body.label,
          ...p.harmless,
        ],
      });
    });
}

const OTHER_PATHS = [
  '/',
  '/kv',
  '/kv/',
  '/kv//k0',
  '/kv/k0/',
  '/kv/k0/extra',
  '/KV/k0',
  '/kv/k0/..',
  '/debug/store',
  '/debug',
  '/status',
  '/health',
  '/metrics',
  '/replication/entries',
  '/replication/snapshot',
  '*',
  '/%',
  '/%ZZ',
  '/..%2F..%2Fetc%2Fpasswd',
  '/kv/%E0%A4%A',
  '/?w=1',
  '//',
  '/kv/k0;w=2',
];

/** Any method on any path, with any headers and body: held to the general properties only. */
export function anyPlanArb(): fc.Arbitrary<ClientPlan> {
  return fc
    .record({
      method: fc.constantFrom(
        'GET',
        'PUT',
        'POST',
        'DELETE',
        'PATCH',
        'HEAD',
        'OPTIONS',
        'TRACE',
        'PROPFIND',
        'COPY',
        'MOVE',
        'UNLOCK',
        'REPORT',
        'NOTIFY',
        'SUBSCRIBE',
      ),
      path: fc.oneof(
        fc.constantFrom(...OTHER_PATHS),
        fc.webPath({ size: 'small' }).map((p) => (p.startsWith('/') ? p : `/${p}`)),
        printableAscii.map((t) => `/${t}`),
      ),
      contentType: contentTypeArb,
      body: bodyArb,
    })
    .map((p) => {
      const headers: Record<string, string> = {};
      if (p.contentType.value !== undefined) headers['content-type'] = p.contentType.value;
      const request: RawRequest = { method: p.method, path: p.path, headers };
      if (p.body.value !== undefined && p.method !== 'HEAD') request.body = p.body.value;
      return withToString({
        request,
        verdict: 'either',
        key: null,
        keyValidity: 'unknown',
        w: null,
        parts: [p.contentType.label, p.body.label],
      });
    });
}
