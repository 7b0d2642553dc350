/**
 * Putting text inside an HTML `<script>` element safely. The HTML parser ends a script at the
 * first `</script` whatever the JavaScript around it means, and `<!--` can switch it into a
 * state where that end tag is missed; neither may appear verbatim. Pure.
 */

/**
 * JSON for a `<script type="application/json">` element. Every `<`, `>` and `&` becomes a
 * `\u00XX` escape, which JSON.parse turns back into the same character (in JSON those can only
 * occur inside strings); U+2028 and U+2029 are escaped for older parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source for an inline `<script>`. In minified library code `</script` and `<!--`
 * can only sit inside string, template or regular-expression literals, where `\x3C` means the
 * same `<` (also in a `/u` regular expression, unlike `\<` or `\!`).
 */
export function scriptSafeSource(source: string): string {
  return source.replace(/<(\/script|!--)/gi, '\\x3C$1');
}
