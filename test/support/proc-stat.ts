import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;
/** Clock ticks a second (USER_HZ), the unit of the CPU times /proc gives. */
const ticksPerSecond = () => (clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100);

/**
 * A process as `/proc/PID/stat` gives it (Linux): a key that tells a reused id apart (the id and
 * the start time), its command name, and the CPU time it has used so far, user and system, in ms.
 * Null when the process is gone or there is no /proc.
 */
export function processStat(pid: number | string): { key: string; comm: string; cpuMs: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold ") ": the fields start after the last one.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime (fields 14 and 15 of proc(5)), and the start time (22).
  return { key: `${pid}:${fields[19]}`, comm, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond() };
}

/** The CPU time so far, in ms, of every process on this machine with this command name, by `processStat` key. */
export function processesNamed(name: string): Map<string, number> {
  const found = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return found;
  }
  for (const pid of pids) {
    const st = processStat(pid);
    if (st?.comm === name) found.set(st.key, st.cpuMs);
  }
  return found;
}
