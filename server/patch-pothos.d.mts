/** @pothos/plugin-relay's files the install step changes (server/patch-pothos.mjs), each with how it names the encoder, and its exact text before and after. */
export declare const FILES: [string, string][];
export declare const before: (encoder: string) => string;
export declare const after: (encoder: string) => string;
