import { z } from 'zod';
import { thrownBy } from '../testing';
import { ConfigError, env, loadConfig } from './config';

const schema = z.object({
  PORT: env.port(8080),
  COUNT: env.int(3, 1, 10),
  DEBUG: env.bool(false),
  LOG_LEVEL: env.logLevel(),
  TOKEN: env.token(),
});

describe('loadConfig', () => {
  it('parses strings into typed values with defaults, frozen', () => {
    const config = loadConfig(schema, { TOKEN: 'long-enough', COUNT: '7', DEBUG: '1' });
    expect(config).toEqual({ PORT: 8080, COUNT: 7, DEBUG: true, LOG_LEVEL: 'info', TOKEN: 'long-enough' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty and undefined variables as unset (their defaults apply)', () => {
    expect(loadConfig(schema, { TOKEN: 'long-enough', PORT: '', COUNT: undefined })).toMatchObject({
      PORT: 8080,
      COUNT: 3,
    });
  });

  it('ignores variables the schema does not name (the whole environment is passed in)', () => {
    expect(loadConfig(schema, { TOKEN: 'long-enough', PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  // Each case: the booleans accepted, and what they mean.
  test.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('DEBUG=%s is %s', (text, want) => {
    expect(loadConfig(schema, { TOKEN: 'long-enough', DEBUG: text }).DEBUG).toBe(want);
  });

  // Each case: one bad variable; the message is one line naming it and saying what it must be.
  test.each([
    { name: 'port not an integer', source: { PORT: '80.5' }, want: 'PORT: must be an integer' },
    { name: 'port too high', source: { PORT: '65536' }, want: 'PORT: must be 0..65535' },
    { name: 'port negative', source: { PORT: '-1' }, want: 'PORT: must be 0..65535' },
    { name: 'int below min', source: { COUNT: '0' }, want: 'COUNT: must be at least 1' },
    { name: 'int above max', source: { COUNT: '11' }, want: 'COUNT: must be at most 10' },
    { name: 'bool not a bool', source: { DEBUG: 'TRUE' }, want: 'DEBUG: must be true or false' },
    { name: 'token short', source: { TOKEN: 'short' }, want: 'TOKEN: must be at least 8 characters' },
  ])('$name', ({ source, want }) => {
    const error = thrownBy(() => loadConfig(schema, { TOKEN: 'long-enough', ...source }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(`invalid configuration: ${want}`);
  });

  it('says a required variable is required', () => {
    expect(thrownBy(() => loadConfig(schema, {})).message).toBe(
      'invalid configuration: TOKEN: is required (a shared secret for the cluster)',
    );
  });

  it('names a non-numeric number by its variable', () => {
    const message = thrownBy(() => loadConfig(schema, { TOKEN: 'long-enough', COUNT: 'many' })).message;
    expect(message).toMatch(/^invalid configuration: COUNT: \S/);
    expect(message).not.toContain('\n');
  });

  it('lists every problem on the one line, separated by semicolons', () => {
    const message = thrownBy(() => loadConfig(schema, { PORT: '99999', LOG_LEVEL: 'loud' })).message;
    expect(message).not.toContain('\n');
    expect(
      message
        .split('; ')
        .map((part) => part.replace('invalid configuration: ', '').split(':')[0])
        .sort(),
    ).toEqual(['LOG_LEVEL', 'PORT', 'TOKEN']);
  });

  it('gives a problem that is not about one variable without a name', () => {
    const whole = z
      .object({ A: z.string().optional(), B: z.string().optional() })
      .refine((c) => c.A !== undefined || c.B !== undefined, 'needs A or B');
    expect(thrownBy(() => loadConfig(whole, {})).message).toBe('invalid configuration: needs A or B');
  });
});
