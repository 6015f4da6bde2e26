// The case rules live in the one access policy module; this path keeps older imports working.
export * from '../access/case';
