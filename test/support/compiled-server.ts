import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { NODE_FLAGS, SERVER_ENV } from '../../server/heap';

/** The compiled server running in a child process. */
export interface CompiledServer {
  child: ChildProcess;
  /** What it has printed so far, on both streams. */
  output(): string;
  /** Ends it (SIGTERM) and waits until it has exited; again is harmless. */
  stop(): Promise<void>;
}

/**
 * Starts the compiled server (`dist/server/main.js`) in a child process with the node flags and
 * environment `npm start` gives it, then `nodeArgs` and this environment, and waits until it prints that it is
 * running. `onSpawn` sees the process first (to keep its output elsewhere as well). A server that
 * exits or is not up within two minutes is an error, with what it printed; one still running then
 * is stopped first.
 */
export async function startCompiledServer(env: NodeJS.ProcessEnv, opts: { nodeArgs?: string[]; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CompiledServer> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...(opts.nodeArgs ?? []), 'dist/server/main.js'], { env: { ...SERVER_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  opts.onSpawn?.(child);
  const server: CompiledServer = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
  const deadline = Date.now() + 120_000;
  while (!output.includes('jiefen 解纷 is running')) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}
