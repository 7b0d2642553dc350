/**
 * Starts Debian's Chromium (/usr/bin/chromium, from tools/browser/setup-chromium.sh) under
 * playwright-core, with the flags that work on this kind of machine as root, and a fresh,
 * empty profile that is removed again on close. No test tool downloads a browser of its own.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Without the background-networking flags Chromium keeps trying to reach hosts this machine
 * cannot reach; --no-sandbox because the tests run as root.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile folder; safe to call twice. */
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: run tools/browser/setup-chromium.sh (as root) first`);
  // launchPersistentContext passes the folder as --user-data-dir (playwright refuses that flag in args).
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'quorum-kv-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
      headless: true,
      viewport,
    });
    let closed = false;
    return {
      context,
      close: async () => {
        if (closed) return;
        closed = true;
        await context.close().catch(() => undefined);
        await rm(profileDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
}
