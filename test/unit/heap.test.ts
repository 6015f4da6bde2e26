import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS, SERVER_ENV, tuneHeap } from '../../server/heap';

describe('the server heap settings', () => {
  it('npm start gives the compiled server the flags that size its young generation', () => {
    const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    // server/start.mjs runs the compiled server in its own process, so the flags are on its command.
    const command = start.split('&&').map((c) => c.trim()).find((c) => c.endsWith('server/start.mjs'))!;
    expect(readFileSync(new URL('../../server/start.mjs', import.meta.url), 'utf8')).toContain("await import('../dist/server/main.js')");
    for (const flag of NODE_FLAGS) expect(command.split(/\s+/)).toContain(flag);
    // The environment glibc reads at the process's start, given before the command (as a default:
    // a value the operator set wins).
    const words = command.split(/\s+/);
    const before = words.slice(0, words.indexOf('node'));
    for (const [name, value] of Object.entries(SERVER_ENV)) expect(before).toContain(`${name}=\${${name}:-${value}}`);
  });

  it('the young generation flag takes effect in a process started with it', () => {
    // Objects that live a while, as a request's do, grow the young generation to its maximum: twice
    // as large with the flag.
    const script =
      'const keep=[];let batch=[];for(let i=0;i<3e6;i++){batch.push({i,s:"x"+i});if(batch.length>2e4){if(i%7===0)keep.push(batch);batch=[]}if(keep.length>40)keep.shift()}' +
      'console.log(require("v8").getHeapSpaceStatistics().find(s=>s.space_name==="new_space").space_size)';
    const newSpace = (args: readonly string[]) => {
      const out = spawnSync(process.execPath, [...args, '-e', script], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      return Number(out.stdout.trim());
    };
    // Two semi-spaces of 32 MB each, whatever Node's default is on this machine.
    expect(newSpace(NODE_FLAGS)).toBe(2 * 32 * 2 ** 20);
  });

  it('sets the growing step when started with the young generation flag, unless the command line gives one', () => {
    const set: string[] = [];
    const record = (flags: string) => void set.push(flags);
    expect(tuneHeap([...NODE_FLAGS, '--enable-source-maps'], record)).toBe('tuned');
    expect(set).toEqual(['--heap-growing-percent=75']);
    // The operator's own step, in either spelling V8 accepts, stays.
    expect(tuneHeap([...NODE_FLAGS, '--heap-growing-percent=80'], record)).toBe('own-step');
    expect(tuneHeap([...NODE_FLAGS, '--heap_growing_percent=80'], record)).toBe('own-step');
    // Without the young generation's flag the step alone would cost reads: nothing is set.
    expect(tuneHeap(['--enable-source-maps'], record)).toBe('no-young-generation-flag');
    expect(tuneHeap(['--max_semi_space_size=32'], record)).toBe('tuned');
    expect(set).toHaveLength(2);
  });

  it('the server sets them at start', () => {
    expect(readFileSync(new URL('../../server/main.ts', import.meta.url), 'utf8')).toMatch(/^const heap = tuneHeap\(\);$/m);
  });
});
