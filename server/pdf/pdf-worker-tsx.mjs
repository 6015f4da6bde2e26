// Development and tests (no build): loads the TypeScript worker through tsx inside the worker thread.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-worker.ts');
