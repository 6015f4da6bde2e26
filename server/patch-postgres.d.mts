/** postgres.js's files the install step changes (server/patch-postgres.mjs), and their exact text before and after. */
export declare const FILES: string[];
export declare const BEFORE: string;
export declare const AFTER: string;
export declare const QUEUE_FILES: string[];
export declare const QUEUE_BEFORE: string;
export declare const QUEUE_AFTER: string;
