import { scriptSafeJson, scriptSafeSource } from './script-safe';

describe('scriptSafeJson', () => {
  it('leaves no < or > and parses back to the same value', () => {
    const value = { a: '</script><!-- & \u2028 \u2029', n: [1, null] };
    const json = scriptSafeJson(value);
    expect(json).not.toMatch(/[<>]/);
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('scriptSafeSource', () => {
  // Each case: a JavaScript expression holding a dangerous sequence, which must keep its value.
  it.each([
    ['"</script>"'], // string
    ['"</SCRIPT >"'], // any case
    ['`<!-- ${1} </script>`'], // template
    ['/<!--|<\\/script/u.exec("a <!-- b")?.[0]'], // a unicode regular expression, where \\! or \\< would not parse
    ['String.raw`x`'], // untouched code stays untouched
  ])('%s', (expression) => {
    const safe = scriptSafeSource(expression);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    expect(new Function(`return ${safe};`)()).toEqual(new Function(`return ${expression};`)());
  });
});
