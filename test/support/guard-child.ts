/**
 * Run as a child process by the process-guard test: throws from an emitter without an 'error'
 * listener and from an unawaited rejection, then proves it still runs.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { installProcessGuard } from '../../server/process-guard';

const log = pino({ level: 'error' }, pino.destination(1));
if (process.argv[2] !== 'unguarded') installProcessGuard(log);

setTimeout(() => new EventEmitter().emit('error', new Error('Unexpected end of form')), 10);
setTimeout(() => void Promise.reject(new Error('nobody awaited this')), 20);
setTimeout(() => {
  console.log('STILL-SERVING');
  process.exit(0);
}, 200);
