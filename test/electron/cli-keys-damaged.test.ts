// The built CLI: `jwtdbg keys list` reports entries set aside from a damaged store (exit 1, ids on stderr,
// `setAside` in --json), and input files that are not regular files (a FIFO, /dev/zero) are refused at
// once with exit 2 and one line — never read, so never a hang.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, type CliHarness } from './cli-harness';

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

describe('jwtdbg keys list with a damaged entry', () => {
  it('exits 1 naming the set-aside entry; the other keys are listed; the next run is clean', async () => {
    const data = path.join(cli.dir, 'damaged-store');
    const store = ['--data', data, '--unencrypted-test-store'];
    const first = JSON.parse((await cli.run(['keys', 'generate', 'ES256', '--kid', 'first', ...store])).stdout) as { id: string };
    const second = JSON.parse((await cli.run(['keys', 'generate', 'HS256', '--kid', 'second', ...store])).stdout) as { id: string };
    const keysFile = path.join(data, 'keys.json');
    const edit = (label: string) => {
      const doc = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { keys: { id: string; label: string }[] };
      (doc.keys.find((k) => k.id === first.id) as { label: string }).label = label;
      fs.writeFileSync(keysFile, JSON.stringify(doc));
    };

    expect((await cli.run(['keys', 'list', ...store])).code).toBe(0);
    edit('edited by hand');
    const listed = await cli.run(['keys', 'list', ...store]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(
      `jwtdbg keys: set aside entry id ${first.id} (kid first): it fails authentication (its metadata or private part was altered); kept in ${keysFile}.damaged-`,
    );
    expect(listed.stdout).toContain(second.id);
    expect(listed.stdout).not.toContain(first.id);

    const clean = await cli.run(['keys', 'list', ...store]);
    expect([clean.code, clean.stderr]).toEqual([0, '']);

    // --json: an object with the keys and what was set aside.
    const third = JSON.parse((await cli.run(['keys', 'generate', 'ES384', '--kid', 'third', ...store])).stdout) as { id: string };
    const doc = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { keys: { id: string; kid: string }[] };
    (doc.keys.find((k) => k.id === third.id) as { kid: string }).kid = 'renamed';
    fs.writeFileSync(keysFile, JSON.stringify(doc));
    const json = await cli.run(['keys', 'list', '--json', ...store]);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { keys: { id: string }[]; setAside: Record<string, unknown>[]; storeSetAside: unknown[] };
    expect(out.keys.map((k) => k.id)).toEqual([second.id]);
    expect(out.setAside).toEqual([
      expect.objectContaining({ id: third.id, kid: 'renamed', reason: 'it fails authentication (its metadata or private part was altered)' }),
    ]);
    expect(out.storeSetAside).toEqual([]);
    // Nothing set aside: the plain array, as before.
    expect(JSON.parse((await cli.run(['keys', 'list', '--json', ...store])).stdout)).toEqual(out.keys);
  }, 30_000);

  it('a store that is not JSON is set aside whole: exit 1 too', async () => {
    const data = path.join(cli.dir, 'garbage-store');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'keys.json'), 'not json');
    const r = await cli.run(['keys', 'list', '--json', '--data', data, '--unencrypted-test-store']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The key store was unusable (it is not valid JSON)');
    expect(JSON.parse(r.stdout)).toMatchObject({ keys: [], setAside: [], storeSetAside: [{ reason: 'it is not valid JSON' }] });
  }, 30_000);
});

describe('input files that are not regular files', () => {
  const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

  it('--key FIFO and --key /dev/zero: exit 2 with one clear line, without blocking', async () => {
    const fifo = path.join(cli.dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const viaFifo = await cli.run(['sign', '--payload', '{}', '--key', fifo]);
    expect(viaFifo.code).toBe(2);
    expect(oneLine(viaFifo.stderr)).toHaveLength(1);
    expect(viaFifo.stderr).toContain(`key file '${fifo}' is a FIFO (named pipe), not a regular file`);

    const zero = await cli.run(['sign', '--payload', '{}', '--key', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(oneLine(zero.stderr)).toHaveLength(1);
    expect(zero.stderr).toContain(`key file '/dev/zero' is a character device, not a regular file`);

    const folder = await cli.run(['verify', 'a.b.c', '--key', cli.dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`key file '${cli.dir}' is a folder, not a regular file`);
  }, 15_000);

  it('keys import FIFO and --passphrase-file FIFO: exit 2', async () => {
    const fifo = path.join(cli.dir, 'pass.fifo');
    execFileSync('mkfifo', [fifo]);
    const data = path.join(cli.dir, 'fifo-store');
    const pass = await cli.run(['keys', 'list', '--data', data, '--passphrase-file', fifo]);
    expect(pass.code).toBe(2);
    expect(pass.stderr).toContain(`passphrase file '${fifo}' is a FIFO (named pipe), not a regular file`);
    const imported = await cli.run(['keys', 'import', fifo, '--data', data, '--unencrypted-test-store']);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain(`key file '${fifo}' is a FIFO (named pipe), not a regular file`);
  }, 15_000);

  it('a key file over 1 MiB is refused', async () => {
    const big = cli.file('big.pem', 'x'.repeat(1024 * 1024 + 1));
    const r = await cli.run(['sign', '--payload', '{}', '--key', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`key file '${big}' is larger than 1 MiB`);
  }, 15_000);
});
