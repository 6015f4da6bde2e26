/**
 * The one access policy: for a viewer and an object, may they see it, what may they do, and how
 * they read each personal field (FULL, MASKED, HIDDEN), plus the SQL filters for lists. One file per
 * kind of object; GraphQL resolvers, file routes and jobs ask here and decide nothing themselves.
 */
export * from './case';
export * from './fields';
export * from './standing';
export * from './party';
export * from './user';
export * from './application';
export * from './agreement';
export * from './statutory';
export * from './evidence';
export * from './subsidy';
export * from './organization';
export * from './viewer-shape';
