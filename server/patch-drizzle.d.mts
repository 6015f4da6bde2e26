/** drizzle-orm's files the install step changes (server/patch-drizzle.mjs), and its exact text before and after. */
export declare const FILES: string[];
export declare const BEFORE: string;
export declare const AFTER: string;
export declare const MAP_FILES: string[];
export declare const MAP_BEFORE: string;
export declare const MAP_AFTER: string;
/** Per file of the postgres-js driver: the import added, and the first lines of `execute` before and after. */
export declare const EXECUTE: Record<string, { importBefore: string; importAfter: string; before: string; after: string }>;
