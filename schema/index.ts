export * from './enums';
export * from './accounts';
export * from './organizations';
export * from './audit';
export * from './cases';
export * from './agreements';
